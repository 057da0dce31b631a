"""What a chart costs the page server: made as plain data (`fcviz.plots.plain`) against the same figure put through
plotly's checks (what each chart cost when it was made of plotly's objects), both sent as `st.plotly_chart` sends a
figure (`to_dict`, then JSON without the checks).

The charts are a lesson's: the Draw page's after a stroke (probabilities, the 28×28 input, a hidden layer's outputs,
the pixels that flip the prediction, a unit's weights), the Build page's for a new width (the diagram, the spread of
z), the training curves (as the page and the live feed draw them) and a finished run's results (confusion matrix,
accuracy per class, misclassified digits, gradients per layer). Prints each chart's median time both ways and the
ratio of the totals (a stroke's charts, a new width's, a finished run's).
"""
from __future__ import annotations

import statistics
import time

import numpy as np
import plotly.io as pio
import plotly.tools

from fcviz.data.loading import load_dataset
from fcviz.net.forward import forward
from fcviz.net.reader import dense_weights
from fcviz.net.spread import initial_spread
from fcviz.plots import charts, plain
from fcviz.plots.diagram import network_figure
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.diagnosis import diagnose
from fcviz.train.engine import InlineEngine
from fcviz.train.training import Run, Trainer

REPEATS = 30


def shipped(fig) -> str:
    """What `st.plotly_chart` does with a figure before it leaves the server."""
    return pio.to_json(plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True), validate=False)


def median_ms(make) -> float:
    make()
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    ds = load_dataset("sample")
    run = Run(NetworkSpec(), TrainConfig(), ds)
    Trainer(run, ds, 10, engine=InlineEngine()).start().join()  # a lesson's run: the page's defaults
    layers = dense_weights(run.model)
    digit = ds.x_test[0]
    hidden = forward(layers, digit[None])[0].post[0]
    reading = diagnose(run.epochs, run.batches)
    spec = NetworkSpec()
    spread = initial_spread(spec)
    groups = {
        "a stroke on Draw": {
            "probabilities": lambda: charts.probability_bars(forward(layers, digit[None])[-1].post[0]),
            "the 28×28 input": lambda: charts.pixel_image(digit),
            "a hidden layer's outputs": lambda: charts.activation_strip(hidden, chosen=3),
            "pixels that flip it": lambda: charts.gradient_map(np.sin(np.arange(784.0)), digit),
            "a unit's weights": lambda: charts.pixel_products(layers[0].kernel[:, 3], "w"),
        },
        "a new width on Build": {
            "the diagram": lambda: network_figure.__wrapped__(spec),
            "the spread of z": lambda: charts.spread_figure.__wrapped__(spread),
        },
        "a finished run on Train": {
            "the curves": lambda: charts.training_figure(run.epochs, run.batches, reading),
            "the live curves' first frame": lambda: charts.training_figure(run.epochs, run.batches, reading, live=True),
            "confusion matrix": lambda: charts.confusion_figure(run.evaluation.confusion),
            "accuracy per digit": lambda: charts.per_class_figure(run.evaluation.per_class_accuracy),
            "gradients per layer": lambda: charts.gradients_figure(run.batches, ["hidden_1", "output"]),
        },
    }
    print(f"{'chart (made and sent as st.plotly_chart sends it)':48s} {'plain ms':>9s} {'checked ms':>11s} {'ratio':>6s}")
    for group, makers in groups.items():
        total_plain = total_checked = 0.0
        for name, make in makers.items():
            fast = median_ms(lambda: shipped(make()))
            slow = median_ms(lambda: shipped(plain.checked(make())))
            total_plain, total_checked = total_plain + fast, total_checked + slow
            print(f"  {name:46s} {fast:9.1f} {slow:11.1f} {slow / fast:5.1f}x")
        print(f"{group:48s} {total_plain:9.1f} {total_checked:11.1f} {total_checked / total_plain:5.1f}x")


if __name__ == "__main__":
    main()
