"""Canvas RGBA -> probabilities, the Draw page's path (preprocessing + numpy forward pass),
against `model.predict` and against the model's direct call, on the same images in one run.

Prints p50/p95 in ms and the ratios. Target: <= 2 ms p50 for the default network.
"""
from __future__ import annotations

import time

import numpy as np
from PIL import Image

import fcviz  # noqa: F401
from fcviz.data.loading import load_dataset
from fcviz.data.preprocess import canvas_to_mnist
from fcviz.net.forward import predict_proba
from fcviz.net.model import build_model
from fcviz.net.reader import dense_weights
from fcviz.settings.spec import NetworkSpec

N = 60


def canvas_of(img: np.ndarray) -> np.ndarray:
    """A test digit as the canvas would send it: 280×280 RGBA, opaque black, white ink."""
    grey = np.asarray(Image.fromarray((img.reshape(28, 28) * 255).astype(np.uint8)).resize((280, 280)))
    return np.dstack([grey, grey, grey, np.full_like(grey, 255)])


def timed(fn, items) -> np.ndarray:
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t) * 1000)
    return np.array(out)


def main() -> None:
    ds = load_dataset("sample")
    model = build_model(NetworkSpec(), seed=0)
    layers = dense_weights(model)
    canvases = [canvas_of(img) for img in ds.x_test[:N]]
    inputs = [canvas_to_mnist(c).reshape(1, 784) for c in canvases]
    model.predict(inputs[0], verbose=0)  # warm up all three paths
    model(inputs[0], training=False)
    app = timed(lambda c: predict_proba(layers, canvas_to_mnist(c).reshape(1, 784)), canvases)
    forward_only = timed(lambda x: predict_proba(layers, x), inputs)
    call = timed(lambda x: np.asarray(model(x, training=False)), inputs)
    predict = timed(lambda x: model.predict(x, verbose=0), inputs)

    def line(name, ms):
        p50, p95 = np.percentile(ms, [50, 95])
        print(f"{name:38s} p50 {p50:8.3f} ms  p95 {p95:8.3f} ms  predict/this {np.median(predict) / p50:8.1f}x")

    line("canvas -> probabilities (fcviz)", app)
    line("  of which numpy forward pass", forward_only)
    line("model(x, training=False)", call)
    line("model.predict(x)", predict)
    p50 = np.median(app)
    print(f"target <= 2 ms p50 for the default network: {'met' if p50 <= 2 else 'MISSED'} ({p50:.2f} ms)")


if __name__ == "__main__":
    main()
