"""Batch norm and skip connections on the Build and Inside pages, through Streamlit's AppTest: Keras' counts in
the table, the skip line, and batch norm's formula with the real numbers."""
import numpy as np

from fcviz.data.loading import load_dataset
from fcviz.lessons.equations import batch_norm_lines
from fcviz.net.model import build_model
from fcviz.net.reader import dense_weights
from fcviz.settings.spec import NetworkSpec


def table_rows(at):
    return {name: row for name, row in at.table[0].value.iterrows()}


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_a_link_with_batch_norm_and_skip_shows_keras_counts_and_where_it_skips(open_app):
    at = open_app(query={"units": "256,128,128", "bn": "1,0,0", "skip": "1"})
    rows = table_rows(at)
    assert list(rows)[:4] == ["hidden_1", "batchnorm_1", "activation_1", "hidden_2"] and "skip_3" in rows
    assert rows["hidden_1"]["Activation"] == "linear" and rows["activation_1"]["Activation"] == "relu"
    assert rows["batchnorm_1"]["Params"] == "1,024"
    assert rows["batchnorm_1"]["in × out + out"] == "γ 256 + β 256 + μ 256 + σ² 256 = 1,024 (512 trainable)"
    assert rows["skip_3"]["Params"] == "0"
    model = build_model(NetworkSpec.from_query({"units": "256,128,128", "bn": "1,0,0", "skip": "1"}))
    assert at.metric[0].value == f"{model.count_params():,}"
    said = texts(at)
    assert "Trainable: **252,170** · non-trainable: **512**" in said and model.count_params() == 252_682
    assert "`hidden_1` → `hidden_2`: 256 ≠ 128, no skip" in said
    assert "`hidden_2` → `hidden_3`: 128 = 128, added" in said
    assert "`input` → `hidden_1`: 784 ≠ 256, no skip" in said
    assert at.toggle(key="build_bn_0").value and not at.toggle(key="build_bn_1").value
    assert at.toggle(key="build_skip").value


def test_the_switches_change_the_table_and_the_link(open_app):
    at = open_app(query={"units": "64,64"})
    assert "batchnorm_1" not in table_rows(at) and "Trainable:" not in texts(at)
    at.toggle(key="build_bn_1").set_value(True).run()
    rows = table_rows(at)
    assert rows["batchnorm_2"]["Params"] == "256" and at.query_params["bn"] == "0,1"
    at.toggle(key="build_skip").set_value(True).run()
    assert "skip_2" in table_rows(at) and at.query_params["skip"] == "1"
    assert "`hidden_1` → `hidden_2`: 64 = 64, added" in texts(at)
    at.toggle(key="build_skip").set_value(False).run()
    assert "skip_2" not in table_rows(at) and not at.exception


def test_the_inside_page_writes_batch_norm_with_its_real_numbers(open_app):
    query = {"units": "256,256", "bn": "1,1", "skip": "1"}
    at = open_app("pages/inside.py", query=query)
    codes = [c.value for c in at.code]
    assert any("h1 = relu(bn1(X (4, 784) @ W1 (784, 256) + b1 (256,))) → (4, 256)" in c for c in codes)
    assert any("h2 = relu(bn2(h1 (4, 256) @ W2 (256, 256) + b2 (256,))) + h1 (4, 256) → (4, 256)" in c
               for c in codes)
    # the same numbers, worked out here from the same fresh weights and the same four test digits
    model = build_model(NetworkSpec.from_query(query), seed=0)
    x = load_dataset("sample").x_test[:4]
    z = np.asarray(model.get_layer("hidden_1")(x))
    training, inference = batch_norm_lines(0, z, dense_weights(model)[0].norm)
    assert any(training in c and inference in c for c in codes), training
    assert "(z − μ) / √(σ² + ε) · γ + β" in training and "− 0.000) / √(1.000 + 0.001)" in inference  # fresh stats
    assert any("def batch_norm(" in c for c in codes)  # the numpy source shown
    difference = float(next(m.value for m in at.metric if m.label.startswith("Largest difference")))
    assert difference < 1e-5
    assert any("Skip connection: `h1` has the same width" in c.value for c in at.caption)
