"""The Inside page's library parts (lazy build, equations) and the page itself through AppTest."""
import pytest

from fcviz.lessons.equations import layer_equation, layer_names
from fcviz.lessons.lazy_build import lazy_build_demo
from fcviz.lessons.presets import PRESETS
from fcviz.net.model import build_model
from fcviz.net.reader import dense_weights
from fcviz.settings.spec import LayerSpec, NetworkSpec


def test_lazy_build_reports_the_lecture_facts():
    r = lazy_build_demo(10, 20)
    assert r.kernel_error == "AttributeError: You must build the layer before accessing `kernel`."
    assert r.bias_error == "AttributeError: 'Dense' object has no attribute 'bias'"
    assert r.weights_before == []
    assert r.built_shapes == {"(None, 20)": ((20, 10), (10,)), "(2, 20)": ((20, 10), (10,)),
                              "(32, 20)": ((20, 10), (10,))}
    assert r.call_output_shape == (4, 10)
    assert r.wrong_input == (4, 12)
    assert "expected axis -1 of input shape to have value 20" in r.keras_error and "(4, 12)" in r.keras_error
    assert "Matrix size-incompatible: In[0]: [4,12], In[1]: [20,10]" in r.matmul_error
    assert "function_node" not in r.matmul_error


def test_lazy_build_other_sizes_and_bad_values():
    r = lazy_build_demo(512, 784)
    assert r.built_shapes["(None, 784)"] == ((784, 512), (512,))
    with pytest.raises(ValueError, match="units must be"):
        lazy_build_demo(0, 20)


def test_equations_use_real_shapes():
    spec = NetworkSpec(hidden=(LayerSpec(128), LayerSpec(64, "tanh")))
    layers = dense_weights(build_model(spec))
    assert [layer_equation(i, layer, 8, 3) for i, layer in enumerate(layers)] == [
        "h1 = relu(X (8, 784) @ W1 (784, 128) + b1 (128,)) → (8, 128)",
        "h2 = tanh(h1 (8, 128) @ W2 (128, 64) + b2 (64,)) → (8, 64)",
        "out = softmax(h2 (8, 64) @ W3 (64, 10) + b3 (10,)) → (8, 10)",
    ]
    assert layer_names(1) == [("X", "out")]


def numpy_vs_keras(at) -> float:
    return float(next(m.value for m in at.metric if m.label.startswith("Largest difference")))


def test_default_network_page(open_app):
    at = open_app("pages/inside.py")
    codes = [c.value for c in at.code]
    assert any("h1 = relu(X (4, 784) @ W1 (784, 128) + b1 (128,)) → (4, 128)" in c for c in codes)
    assert any("def forward(" in c and "np.dot" in c for c in codes)  # the module's real source
    assert any("Matrix size-incompatible" in c for c in codes)
    assert numpy_vs_keras(at) < 1e-5
    at.slider(key="inside_batch").set_value(8).run()
    assert any("X (8, 784)" in c.value for c in at.code)
    assert any("of **hidden_1** (relu) for row 0" in m.value for m in at.markdown)  # the marked layer, by its name


def test_the_marked_layer_is_named_in_the_readers_language(open_app, monkeypatch):
    from fcviz import i18n

    monkeypatch.setattr(i18n, "current", lambda: "zh")  # (AppTest cannot hold a zh session's select boxes)
    at = open_app("pages/inside.py")
    assert any("**隐藏层 1**（relu）" in m.value for m in at.markdown)  # not Keras' hidden_1 inside Chinese


@pytest.mark.parametrize("key", list(PRESETS))
def test_each_preset_renders(open_app, key):
    at = open_app("pages/inside.py")
    at.button(key=f"inside_preset_{key}").click().run()
    assert not at.exception
    spec = PRESETS[key][1]
    assert any(f"Network `{spec.name}`" in c.value for c in at.caption)
    assert numpy_vs_keras(at) < 1e-5
    if key == "lecture":
        assert any("h1 = relu(X (4, 3) @ W1 (3, 2) + b1 (2,)) → (4, 2)" in c.value for c in at.code)
        at.switch_page("pages/build.py").run()  # the Build page follows the preset
        assert at.metric[0].value == "20"


def test_lazy_build_inputs(open_app):
    at = open_app("pages/inside.py")
    at.number_input(key="inside_units").set_value(512).run()
    at.number_input(key="inside_n").set_value(784).run()
    assert any("kernel (784, 512), bias (512,)" in c.value for c in at.code)


@pytest.mark.parametrize("text", ["((((", "9" * 60, "(10000, 10000, 10000)", "(2,3)\n<script>alert(1)</script>"])
def test_shapes_lab_takes_any_text(open_app, text):
    at = open_app("pages/inside.py")
    at.text_input(key="shapes_a").set_value(text).run()
    assert not at.exception
    verdicts = " ".join(m.value for m in at.markdown)
    assert at.error or "np.dot(a, b)" in verdicts
    assert "<script>" not in verdicts
