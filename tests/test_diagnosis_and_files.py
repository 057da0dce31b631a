import csv
import io

import keras
import numpy as np
import pytest

from fcviz.data.mnist import FASHION
from fcviz.files.persist import history_csv, model_to_bytes
from fcviz.net.model import build_model
from fcviz.plots.charts import (
    STAR,
    compare_figure,
    confusion_figure,
    overfitting_marks,
    per_class_figure,
    training_figure,
)
from fcviz.settings.spec import NetworkSpec, SpecError
from fcviz.settings.train_config import TrainConfig
from fcviz.train.diagnosis import diagnose
from fcviz.train.history import BatchPoint, EpochStats


def history(train, test):
    return [EpochStats(i + 1, a, 0.9, b, 0.9, 0.1) for i, (a, b) in enumerate(zip(train, test))]


def test_overfitting_is_named_with_its_epoch():
    epochs = history([1.0, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05], [0.9, 0.6, 0.5, 0.55, 0.6, 0.7, 0.8])
    d = diagnose(epochs)
    assert d.best_epoch == 3 and d.overfitting_since == 4
    assert d.messages[0].startswith("Overfitting since epoch 4") and "dropout" in d.messages[0]
    shapes, (label,) = overfitting_marks(epochs, d)  # the band and its label start where the sentence says
    assert {(b["x0"], b["x1"]) for b in shapes} == {(4, 7)} and label["x"] == 4


def test_no_overfitting_while_test_loss_falls_or_rise_is_short():
    assert diagnose(history([1, 0.5, 0.3, 0.2], [1, 0.6, 0.4, 0.3])).overfitting_since is None
    assert diagnose(history([1, 0.5, 0.3, 0.2], [1, 0.6, 0.65, 0.7])).overfitting_since is None  # only 2 epochs up
    assert diagnose([]).best_epoch is None


def test_unstable_curves_suggest_smaller_learning_rate():
    stuck = diagnose(history([14.3, 2.18, 2.02, 2.03], [2.3, 2.3, 2.3, 2.3]))  # measured: sgd lr 3
    assert stuck.unstable and "stuck at 2.03" in stuck.messages[-1] and "learning rate" in stuck.messages[-1]
    rising = diagnose(history([1.0, 0.5, 0.8], [1, 0.6, 0.7]))
    assert rising.unstable and "went up from epoch 2" in rising.messages[-1]
    spikes = [BatchPoint(1 + i / 20, 4.0 if i == 7 else 0.3, 0.9) for i in range(1, 21)]
    assert diagnose(history([1.0, 0.3], [1, 0.4]), spikes).unstable
    smooth = [BatchPoint(1 + i / 20, 0.4 - i / 100, 0.9) for i in range(1, 21)]
    healthy = diagnose(history([1.25, 0.46, 0.34, 0.28], [0.65, 0.45, 0.38, 0.35]), smooth)  # measured: adam 1e-3
    assert not healthy.unstable and healthy.messages == ()


def test_training_figure_marks_best_epoch_and_overfitting():
    epochs = history([1.0, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05], [0.9, 0.6, 0.5, 0.55, 0.6, 0.7, 0.8])
    fig = training_figure(epochs, [BatchPoint(0.5, 1.2, 0.5)], diagnose(epochs))
    names = [t.name for t in fig.data]
    assert "lowest test loss: epoch 3" in names
    star = next(t for t in fig.data if t.name == "lowest test loss: epoch 3")
    assert list(star.x) == [3] and list(star.y) == [0.5]
    test_traces = [t for t in fig.data if t.name == "test (after each epoch)"]
    assert test_traces[0].line.dash == "dash" and test_traces[0].fill == "tonexty"
    assert len(fig.layout.shapes) == 2  # overfitting band on both charts


def test_the_best_epoch_is_named_in_the_legend_not_written_over_the_curves():
    """Words beside the star ran over the curves it sits on (a phone's chart most): the legend says the epoch."""
    def star(best: int, last: int):
        test = [1.0 - 0.1 * min(e, best) + 0.1 * max(0, e - best) for e in range(1, last + 1)]
        epochs = history([1.0 - 0.05 * e for e in range(1, last + 1)], test)
        return training_figure(epochs, [], diagnose(epochs)).data[STAR]
    for best, last in ((11, 17), (7, 20), (19, 20)):
        shown = star(best, last)
        assert list(shown.x) == [best] and shown.name == f"lowest test loss: epoch {best}" and shown.showlegend
        assert "text" not in shown.mode and not shown.text


def test_other_figures_build():
    epochs = history([1.0, 0.5], [1.1, 0.7])
    assert len(compare_figure([("a", epochs), ("b", history([1.0, 0.4], [1.1, 0.8]))]).data) == 8
    assert confusion_figure(np.eye(10, dtype=int) * 5).data[0].z[3][3] == 1.0


def test_a_gallery_holds_each_image_as_the_network_sees_it_under_its_escaped_title():
    """Misclassified digits, the class's handwriting, my digits: an HTML grid of PNGs that follows the screen's width
    (a plotly mosaic of a fixed height had 26 px digits on a phone), each image the 28×28 pixels it was given."""
    import base64
    import io
    import re

    from PIL import Image

    from fcviz.plots.gallery import gallery_html

    images = np.random.default_rng(0).random((3, 784))
    page = gallery_html(images, ["1 (7)", "2 (2)", '<img src=x onerror="alert(1)">'])
    assert page.count("<figure>") == 3 and "onerror=\"" not in page and "&lt;img src=x onerror=" in page
    pngs = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    shown = [np.asarray(Image.open(io.BytesIO(base64.b64decode(p)))) for p in pngs]
    assert all(s.shape == (28, 28) for s in shown)
    assert np.abs(np.stack(shown).reshape(3, 784) / 255 - images).max() <= 0.5 / 255 + 1e-6
    assert "grid-template-columns: repeat(auto-fill" in page  # its columns follow the width


def test_accuracy_per_class_is_a_plotly_bar_chart_with_the_hardest_marked():
    """Beside the confusion matrix, in the page's own chart style (the classroom view enlarges it like the others)."""
    accuracy = np.array([0.99, 0.98, 0.9, 0.91, 0.95, 0.82, 0.97, 0.93, 0.88, 0.9])
    bars = per_class_figure(accuracy).data[0]
    assert list(bars.x) == list("0123456789") and list(bars.text)[5] == "82%"
    assert len(set(bars.marker.color)) == 2 and bars.marker.color[5] != bars.marker.color[0]  # 5: the hardest
    clothes = per_class_figure(accuracy, FASHION)
    assert clothes.data[0].x[0] == FASHION[0] and clothes.layout.xaxis.title.text == "class"
    tied = per_class_figure(np.array([0.9, 0.874, 0.87, 0.95])).data[0].marker.color  # both 87 %, as the line says
    assert tied[1] == tied[2] != tied[0] == tied[3]


def test_model_round_trips_through_keras_file():
    model = build_model(NetworkSpec(), seed=3)
    data = model_to_bytes(model)
    assert data[:2] == b"PK"  # .keras files are zip archives
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.keras"
        path.write_bytes(data)
        loaded = keras.models.load_model(path)
    x = np.random.default_rng(0).random((3, 784), dtype=np.float32)
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), atol=1e-6)


def test_history_csv():
    text = history_csv(history([1.0, 0.5], [1.1, 0.7]))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["epoch"] for r in rows] == ["1", "2"] and rows[1]["test_loss"] == "0.7"


def test_train_config_validates_and_round_trips():
    cfg = TrainConfig(epochs=7, batch_size=32, optimizer="sgd", learning_rate=0.3, train_size=500, l2=1e-4, seed=3)
    assert TrainConfig.from_query(cfg.to_query()) == cfg
    for bad, msg in [({"epochs": 0}, "epochs"), ({"learning_rate": 0.0}, "learning rate"),
                     ({"learning_rate": 50.0}, "learning rate"), ({"optimizer": "lbfgs"}, "optimizer"),
                     ({"train_size": 3}, "training-set size"), ({"l2": -1.0}, "L2")]:
        with pytest.raises(SpecError, match=msg):
            TrainConfig(**bad)
    with pytest.raises(SpecError, match="must be a number"):
        TrainConfig.from_query({"lr": "fast"})


def test_loss_axis_turns_logarithmic_when_the_first_losses_dwarf_the_rest():
    dwarfed = history([150.0, 1.9, 1.75, 1.7, 1.7], [2.0, 1.8, 1.7, 1.7, 1.7])  # adam 0.3 did this
    fig = training_figure(dwarfed, [BatchPoint(0.5, 150.0, 0.1)] + [BatchPoint(1 + i / 4, 1.7, 0.4) for i in range(16)])
    assert fig.layout.yaxis.type == "log" and "log scale" in fig.layout.annotations[0].text
    smooth = history([1.2, 0.5, 0.4, 0.3], [0.7, 0.5, 0.4, 0.35])
    assert training_figure(smooth, []).layout.yaxis.type != "log"
    assert compare_figure([("a", dwarfed), ("b", smooth)]).layout.yaxis.type == "log"


def test_a_healthy_run_that_falls_a_hundredfold_keeps_a_linear_axis():
    falls = history([2.1, 0.5, 0.1, 0.03, 0.01, 0.005], [1.6, 0.6, 0.55, 0.56, 0.58, 0.6])
    points = [BatchPoint(i / 10, 2.3 * 0.9 ** i, 0.9) for i in range(1, 60)]
    assert training_figure(falls, points).layout.yaxis.type != "log"


def test_the_local_median_is_each_points_own_neighbourhoods_median():
    from fcviz.train.diagnosis import local_median
    rng = np.random.default_rng(3)
    for n in (1, 5, 8, 9, 10, 200):
        values = rng.random(n)
        expected = [np.median(values[max(0, i - 4):i + 5]) for i in range(n)]
        assert np.array_equal(local_median(values), expected), n
