"""The Draw page through AppTest (drawing itself is tested in Chromium), and model uploads."""
import keras
import pytest

from fcviz.files.persist import MAX_MODEL_BYTES, ModelFileError, load_model_bytes, model_to_bytes
from fcviz.net.model import build_model
from fcviz.net.reader import spec_of
from fcviz.settings.spec import LayerSpec, NetworkSpec


def test_without_a_model_it_offers_to_train_then_shows_the_canvas(open_app):
    at = open_app("pages/draw.py")
    assert any("No trained network yet" in i.value for i in at.info)
    quick = next(b for b in at.button if "now" in b.label)
    quick.click().run(timeout=120)
    assert not at.exception
    assert [c.key for c in at.get("bidi_component") if c.key.startswith("draw_canvas")] == ["draw_canvas_0"]
    assert any("Draw a digit from 0 to 9" in i.value for i in at.info)


def test_model_file_round_trip_and_spec():
    spec = NetworkSpec(hidden=(LayerSpec(64, "tanh", 0.2), LayerSpec(32, "sigmoid")))
    model = load_model_bytes(model_to_bytes(build_model(spec)))
    assert spec_of(model) == spec


@pytest.mark.parametrize(
    "data, message",
    [
        (b"hello, I am not a model", "not a Keras .keras file"),
        (b"PK\x03\x04" + b"\x00" * 100, "not a Keras .keras file"),
        (b"0" * (MAX_MODEL_BYTES + 1), "models up to"),
    ],
)
def test_bad_files_are_refused_clearly(data, message):
    with pytest.raises(ModelFileError, match=message):
        load_model_bytes(data)


def test_corrupt_keras_archive(tmp_path):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("config.json", "{not json")
        zf.writestr("model.weights.h5", b"")
    with pytest.raises(ModelFileError, match="damaged"):  # found before Keras reads anything
        load_model_bytes(buf.getvalue())


def test_wrong_input_or_output_size_is_refused():
    lecture = build_model(NetworkSpec(input_size=3, hidden=(LayerSpec(2),), output_units=2, output_activation="linear"))
    with pytest.raises(ModelFileError, match=r"MNIST needs \(None, 784\) to \(None, 10\)"):
        load_model_bytes(model_to_bytes(lecture))
    functional_in = keras.Input((784,))  # functional wiring fcviz does not build (skip connections are Adds)
    joined = keras.layers.Concatenate()([keras.layers.Dense(8)(functional_in), functional_in])
    functional = keras.Model(functional_in, keras.layers.Dense(10, activation="softmax")(joined))
    with pytest.raises(ModelFileError, match="expected only Dense, BatchNormalization, Activation, Dropout and Add"):
        load_model_bytes(model_to_bytes(functional))
