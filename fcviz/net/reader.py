"""Everything fcviz reads off a Keras model, read one way: the layer table, the Dense weights as
numpy arrays, the `NetworkSpec` it implements, and whether it fits MNIST.

Every page and file loader goes through here, so "a Dense layer" and "784 in, 10 softmax out"
mean the same thing everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from fcviz.data.mnist import N_CLASSES, N_PIXELS
from fcviz.i18n import N_, _, later
from fcviz.net.forward import DenseWeights
from fcviz.settings import initializers
from fcviz.settings.initializers import Init
from fcviz.settings.spec import MAX_HIDDEN_LAYERS, LayerSpec, NetworkSpec, SpecError

MNIST_OUTPUT = "softmax"


@dataclass(frozen=True)
class LayerRow:
    """One line of the layer table, as `model.summary()` shows it and the lecture counts it: shapes and parameters."""

    name: str
    kind: str
    activation: str
    input_shape: tuple
    output_shape: tuple
    kernel_shape: tuple | None
    bias_shape: tuple | None
    params: int

    @property
    def arithmetic(self) -> str:
        """`784×128 + 128 = 100,480`, the count as the lecture writes it."""
        if self.kernel_shape is None:
            return _("0 (no weights)")
        n_in, n_out = self.kernel_shape
        return f"{n_in:,}×{n_out:,} + {n_out:,} = {self.params:,}"


def _shape(shape) -> tuple:
    return tuple(None if d is None else int(d) for d in shape)


def is_dense(layer: keras.layers.Layer) -> bool:
    """Only Dense layers have weights here: Dropout is skipped wherever weights are read."""
    return isinstance(layer, keras.layers.Dense)


def activation_name(layer: keras.layers.Layer) -> str:
    """A Dense layer's activation by the name fcviz uses ("relu", …): a key of `fcviz.net.forward.ACTIVATIONS`."""
    return layer.activation.__name__


def layer_rows(model: keras.Model) -> list[LayerRow]:
    """One row per layer of a built model, read from its variables (what Keras itself would report)."""
    return [
        LayerRow(
            name=layer.name,
            kind=type(layer).__name__,
            activation=activation_name(layer) if is_dense(layer) else "—",
            input_shape=_shape(layer.input.shape),
            output_shape=_shape(layer.output.shape),
            kernel_shape=_shape(layer.kernel.shape) if is_dense(layer) else None,
            bias_shape=_shape(layer.bias.shape) if is_dense(layer) and layer.use_bias else None,
            params=int(layer.count_params()),
        )
        for layer in model.layers
    ]


def dense_weights(model: keras.Model) -> list[DenseWeights]:
    """The Dense layers as plain arrays, for the numpy forward pass (Dropout does nothing at prediction time)."""
    return [DenseWeights(layer.name, *(np.asarray(w) for w in layer.get_weights()), activation_name(layer))
            for layer in model.layers if is_dense(layer)]


# ---- how the kernels start: the four choices of `fcviz.settings.initializers`, and nothing else -----------------
SEED_RANGE = 2**32  # a seed Keras' initialisers take: a whole number below this
FAN_AXES = ("input_axes", "output_axes")  # Keras 3.15's variance-scaling options: only the default (None) is read


def init_from_config(node: object) -> Init:
    """The choice a kernel initialiser's serialized config (`{"class_name": "HeNormal", "config": {...}}`) is, or
    SpecError: any other class, option or value (another σ, a custom fan) is not a start fcviz offers."""
    name = node.get("class_name") if isinstance(node, dict) else node
    chosen = next((i for i in initializers.INITIALIZERS if i.keras_class == name), None)
    options = node.get("config", {}) if isinstance(node, dict) else None
    if chosen is None or not isinstance(options, dict):
        raise SpecError(later("the kernels start from {name}; fcviz offers {offered}", name=str(name)[:60],
                              offered=OFFERED))
    wanted = dict(chosen.options)
    for key, value in options.items():
        seed_ok = key == "seed" and chosen.seeded and (value is None or (
            isinstance(value, int) and not isinstance(value, bool) and 0 <= value < SEED_RANGE))
        if not (seed_ok or (key in FAN_AXES and value is None) or (key in wanted and _same(value, wanted[key]))):
            raise SpecError(later("the kernels start from {name} with {key}={value}; fcviz offers {offered}",
                                  name=chosen.keras_class, key=str(key)[:40], value=str(value)[:40], offered=OFFERED))
    missing = [key for key in wanted if key not in options]
    if missing:
        raise SpecError(later("the kernels start from {name} without {key}; fcviz offers {offered}",
                              name=chosen.keras_class, key=missing[0], offered=OFFERED))
    return chosen.init


def _same(value: object, wanted: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and float(value) == wanted


OFFERED = ", ".join(i.code("…").removeprefix("keras.initializers.") for i in initializers.INITIALIZERS)


def one_init(inits: list[Init]) -> Init:
    """The one choice every Dense layer of a network starts from (SpecError when they differ)."""
    if len(set(inits)) > 1:
        raise SpecError(later("its Dense layers start from different initialisers ({names}); fcviz starts every "
                              "layer the same way", names=", ".join(dict.fromkeys(inits))))
    return inits[0] if inits else initializers.DEFAULT


def init_of(layer: keras.layers.Dense) -> Init:
    """The choice a built Dense layer's kernel started from."""
    return init_from_config(keras.saving.serialize_keras_object(layer.kernel_initializer))


def spec_of(model: keras.Model) -> NetworkSpec:
    """The `NetworkSpec` of a Sequential Dense model, read from its layers (SpecError if it has none)."""
    layers = list(model.layers)
    dense = [layer for layer in layers if is_dense(layer)]
    if not dense:
        raise SpecError(N_("the model has no Dense layer"))
    hidden = []
    for i, layer in enumerate(layers):
        if is_dense(layer) and layer is not dense[-1]:
            after = layers[i + 1] if i + 1 < len(layers) else None
            rate = float(after.rate) if isinstance(after, keras.layers.Dropout) else 0.0
            hidden.append(LayerSpec(int(layer.units), activation_name(layer), rate))
    out = dense[-1]
    return NetworkSpec(input_size=int(model.input_shape[-1]), hidden=tuple(hidden), output_units=int(out.units),
                       output_activation=activation_name(out), init=one_init([init_of(layer) for layer in dense]))


def fits_mnist(spec: NetworkSpec) -> bool:
    """784 inputs and 10 softmax outputs: a network that reads digits (`check_mnist` says what is wrong otherwise)."""
    return spec.input_size == N_PIXELS and spec.output_units == N_CLASSES and spec.output_activation == MNIST_OUTPUT


def check_mnist(spec: NetworkSpec) -> None:
    """Training on or predicting digits needs 784 inputs and 10 softmax outputs: say so instead of failing in Keras."""
    if not fits_mnist(spec):
        raise SpecError(later(
            "MNIST needs (None, {pixels}) to (None, {classes}): {pixels} inputs and {classes} {output} outputs; this "
            "network has {inputs} inputs and {units} {activation} outputs", pixels=N_PIXELS, classes=N_CLASSES,
            output=MNIST_OUTPUT, inputs=spec.input_size, units=spec.output_units, activation=spec.output_activation))


# ---- a saved model's config.json, read without Keras ----------------------------------------------
# An uploaded file is read here first, so that nothing in it makes Keras build (or allocate) anything
# before it is known to be a network within the app's caps.
KERAS_MODULES = ("keras", "keras.layers", "keras.initializers", "keras.regularizers", "keras.constraints",
                 "keras.optimizers", "keras.losses", "keras.metrics", "keras.activations")
MAX_CONFIG_DEPTH = 12  # a real config nests 6 deep
MAX_SAVED_LAYERS = 1 + 2 * (MAX_HIDDEN_LAYERS + 1)  # input, then a Dense and a Dropout per layer


def _only_keras_objects(node: object, depth: int = 0) -> None:
    """Every serialized object in the config is one of Keras' own: no custom or registered classes."""
    if depth > MAX_CONFIG_DEPTH:
        raise SpecError(later("the config nests deeper than {n} levels: not a Dense network", n=MAX_CONFIG_DEPTH))
    if isinstance(node, dict):
        if "class_name" in node:
            module, registered = node.get("module"), node.get("registered_name")
            if module not in KERAS_MODULES or registered not in (None, node["class_name"]):
                raise SpecError(later("the model uses {name!r} from {module!r}, which is not part of Keras: custom "
                                      "objects are not loaded", name=str(registered or node["class_name"])[:60],
                                      module=str(module)[:60]))
        for value in node.values():
            _only_keras_objects(value, depth + 1)
    elif isinstance(node, list):
        for value in node:
            _only_keras_objects(value, depth + 1)


def _get(node: object, *path: str | int) -> object:
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            raise SpecError(later("the config lacks {path}: not a Sequential model saved by Keras 3",
                                  path="/".join(map(str, path))))
    return node


def spec_from_config(config: object) -> NetworkSpec:
    """The `NetworkSpec` a `.keras` file's config.json describes, checked against the app's caps
    (SpecError otherwise): a Sequential of Dense layers with optional Dropout after each."""
    if not isinstance(config, dict):
        raise SpecError(N_("config.json is not a Keras model config"))
    if config.get("class_name") != "Sequential":
        raise SpecError(later("expected a Sequential model of Dense layers, got {name}",
                              name=str(config.get("class_name"))[:60]))
    layers = _get(config, "config", "layers")
    if not isinstance(layers, list) or not layers:
        raise SpecError(N_("the model has no layers"))
    if len(layers) > MAX_SAVED_LAYERS:
        raise SpecError(later("the model has {n:,} layers; at most {limit} hidden Dense layers (with a Dropout after "
                              "each) are allowed", n=len(layers), limit=MAX_HIDDEN_LAYERS))
    _only_keras_objects(config)
    kinds = [_get(layer, "class_name") for layer in layers]
    unknown = sorted({str(k)[:40] for k in kinds} - {"InputLayer", "Dense", "Dropout"})
    if unknown:
        raise SpecError(later("expected only Dense and Dropout layers, found {names}", names=", ".join(unknown)))
    if kinds[0] == "InputLayer":
        shape = _get(layers[0], "config", "batch_shape")
        layers, kinds = layers[1:], kinds[1:]
    else:
        shape = _get(config, "config", "build_input_shape")
    if not isinstance(shape, list) or len(shape) != 2 or shape[0] is not None:
        raise SpecError(later("expected an input of shape (None, n), got {shape}", shape=str(shape)[:60]))
    dense = [i for i, k in enumerate(kinds) if k == "Dense"]
    if not dense or any(k == "Dropout" and (i == 0 or kinds[i - 1] != "Dense") for i, k in enumerate(kinds)):
        raise SpecError(N_("expected Dense layers, each followed by at most one Dropout"))
    if dense[-1] != len(kinds) - 1:
        raise SpecError(N_("expected the last layer to be the Dense output layer"))
    hidden, inits = [], []
    for i in dense:
        conf = _get(layers[i], "config")
        if _get(conf, "use_bias") is not True:
            raise SpecError(N_("every Dense layer needs its bias (use_bias=True)"))
        inits.append(init_from_config(_get(conf, "kernel_initializer")))
        units, activation = _get(conf, "units"), _get(conf, "activation")
        rate = _get(layers[i + 1], "config", "rate") if i + 1 < len(kinds) and kinds[i + 1] == "Dropout" else 0.0
        hidden.append((units, activation, rate))
    units, activation, rate = hidden.pop()
    if rate:
        raise SpecError(N_("a Dropout after the output layer is not a network fcviz can show"))
    return NetworkSpec(input_size=shape[1], hidden=tuple(LayerSpec(*h) for h in hidden), output_units=units,
                       output_activation=activation, init=one_init(inits))


def params_of(spec: NetworkSpec) -> int:
    """Kernel and bias weights of every Dense layer: what `model.count_params()` says once built."""
    widths = spec.widths
    return sum(a * b + b for a, b in zip(widths, widths[1:]))
