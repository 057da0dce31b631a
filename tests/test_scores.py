"""The test set's scores in numpy (what a training's worker measures after every epoch) are Keras' own numbers."""
import numpy as np
import pytest

from fcviz.data.loading import load_dataset
from fcviz.net.forward import LayerOutput
from fcviz.net.reader import dense_weights
from fcviz.net.scores import cross_entropy, scores
from fcviz.settings.spec import LayerSpec, NetworkSpec
from fcviz.train.steps import compiled


@pytest.mark.parametrize("spec, l2", [
    (NetworkSpec(), 0.0),
    (NetworkSpec(), 1e-3),
    (NetworkSpec(output_activation="sigmoid"), 0.0),
    (NetworkSpec(output_activation="linear"), 0.0),
    (NetworkSpec(hidden=(LayerSpec(64, activation="sigmoid", batchnorm=True), LayerSpec(64, batchnorm=True)),
                 skip=True), 1e-4),
], ids=["softmax", "softmax and L2", "sigmoid", "linear", "batch norm, skip and L2"])
def test_scores_are_fits_validation_numbers(spec, l2):
    """After an epoch of `fit`, its `val_loss` and `val_accuracy` are what `scores` reads off the same weights: for
    every output activation the Build page offers (Keras reads a softmax's and a sigmoid's logits, and clips the
    others' outputs), with the L2 penalty, batch norm's moving averages and skip connections."""
    ds = load_dataset("sample")
    model = compiled(spec, "adam", 1e-3, seed=1, l2=l2)
    history = model.fit(ds.x_train[:1000], ds.y_train[:1000], epochs=1, verbose=0,
                        validation_data=(ds.x_test, ds.y_test)).history
    ours = scores(dense_weights(model), ds.x_test, ds.y_test, l2)
    assert ours.loss == pytest.approx(history["val_loss"][0], rel=1e-5)
    assert ours.accuracy == pytest.approx(history["val_accuracy"][0], abs=1e-6)
    np.testing.assert_array_equal(ours.predictions, model.predict(ds.x_test, verbose=0).argmax(axis=1))


def test_a_confident_wrong_answer_costs_its_logits_not_a_clipped_probability():
    """A softmax sure of the wrong class: Keras' loss is the logits' (here 50), not −log(1e-7) ≈ 16 (the clip)."""
    logits = np.array([[50.0, 0.0]], np.float32)
    out = LayerOutput("output", logits, np.array([[1.0, 0.0]], np.float32))
    assert cross_entropy(out, "softmax", np.array([1]))[0] == pytest.approx(50.0, rel=1e-6)
    assert cross_entropy(out, "linear", np.array([1]))[0] == pytest.approx(-np.log(1e-7), rel=1e-4)
