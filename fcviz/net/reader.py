"""Everything fcviz reads off a Keras model, read one way: the layer table, the Dense weights as
numpy arrays, the `NetworkSpec` it implements, and whether it fits MNIST.

Every page and file loader goes through here, so "a Dense layer" and "784 in, 10 softmax out"
mean the same thing everywhere.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, replace

import keras
import numpy as np

from fcviz.data.mnist import N_CLASSES, N_PIXELS
from fcviz.i18n import N_, _, later
from fcviz.net.forward import BatchNorm, DenseWeights
from fcviz.settings import initializers
from fcviz.settings.initializers import Init
from fcviz.settings.spec import MAX_HIDDEN_LAYERS, LayerSpec, NetworkSpec, SpecError

MNIST_OUTPUT = "softmax"


@dataclass(frozen=True)
class LayerRow:
    """One line of the layer table, as `model.summary()` shows it and the lecture counts it: shapes and parameters
    (`trainable` of them learned by gradient descent; batch norm's moving mean and variance are not)."""

    name: str
    kind: str
    activation: str
    input_shape: tuple
    output_shape: tuple
    kernel_shape: tuple | None
    bias_shape: tuple | None
    params: int
    trainable: int = -1  # -1: all of `params`

    @property
    def trained(self) -> int:
        """The parameters gradient descent changes."""
        return self.params if self.trainable < 0 else self.trainable

    @property
    def arithmetic(self) -> str:
        """`784×128 + 128 = 100,480`, the count as the lecture writes it (batch norm: γ + β + μ + σ²)."""
        if self.kind == "BatchNormalization":
            n = self.output_shape[-1]
            return _("γ {n:,} + β {n:,} + μ {n:,} + σ² {n:,} = {total:,} ({trained:,} trainable)").format(
                n=n, total=self.params, trained=self.trained)
        if self.kernel_shape is None:
            return _("0 (no weights)")
        n_in, n_out = self.kernel_shape
        return f"{n_in:,}×{n_out:,} + {n_out:,} = {self.params:,}"


def _shape(shape) -> tuple:
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):  # an Add's inputs
        return tuple(_shape(s) for s in shape)
    return tuple(None if d is None else int(d) for d in shape)


def is_dense(layer: keras.layers.Layer) -> bool:
    """Only Dense layers have a kernel and a bias: Dropout, Activation and Add have no weights, and batch norm's
    are read with its Dense layer (`dense_weights`)."""
    return isinstance(layer, keras.layers.Dense)


def is_batchnorm(layer: keras.layers.Layer) -> bool:
    """A BatchNormalization layer: γ and β (trainable), moving mean and variance (not)."""
    return isinstance(layer, keras.layers.BatchNormalization)


def activation_name(layer: keras.layers.Layer) -> str:
    """A Dense (or Activation) layer's activation by the name fcviz uses ("relu", …): a key of
    `fcviz.net.forward.ACTIVATIONS`."""
    return layer.activation.__name__


def _count(variables: list) -> int:
    return int(sum(np.prod(v.shape) for v in variables))


def layer_rows(model: keras.Model) -> list[LayerRow]:
    """One row per layer of a built model (the Input left out, as a Sequential lists it), read from its variables
    (what Keras itself would report)."""
    return [
        LayerRow(
            name=layer.name,
            kind=type(layer).__name__,
            activation=activation_name(layer) if isinstance(layer, (keras.layers.Dense, keras.layers.Activation))
            else "—",
            input_shape=_shape([t.shape for t in layer.input] if isinstance(layer.input, list) else layer.input.shape),
            output_shape=_shape(layer.output.shape),
            kernel_shape=_shape(layer.kernel.shape) if is_dense(layer) else None,
            bias_shape=_shape(layer.bias.shape) if is_dense(layer) and layer.use_bias else None,
            params=int(layer.count_params()),
            trainable=_count(layer.trainable_weights),
        )
        for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)
    ]


def dense_weights(model: keras.Model) -> list[DenseWeights]:
    """The Dense layers as plain arrays, for the numpy forward pass: each with the BatchNormalization, Activation
    and Add (skip connection) that follow it folded in (Dropout does nothing at prediction time)."""
    layers: list[DenseWeights] = []
    for layer in model.layers:
        if is_dense(layer):
            layers.append(DenseWeights(layer.name, *(np.asarray(w) for w in layer.get_weights()),
                                       activation_name(layer)))
        elif is_batchnorm(layer) and layers:
            norm = BatchNorm(*(np.asarray(w) for w in layer.get_weights()), float(layer.epsilon))
            layers[-1] = replace(layers[-1], norm=norm)
        elif isinstance(layer, keras.layers.Activation) and layers:
            layers[-1] = replace(layers[-1], activation=activation_name(layer))
        elif isinstance(layer, keras.layers.Add) and layers:
            layers[-1] = replace(layers[-1], skip=True)
    return layers


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
    """The `NetworkSpec` of a model `build_model` makes, read from its layers (SpecError if it has no Dense layer):
    a Sequential, or with skip connections the same layers wired by the functional API."""
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    dense = [layer for layer in layers if is_dense(layer)]
    if not dense:
        raise SpecError(N_("the model has no Dense layer"))
    hidden = []
    for i, layer in enumerate(layers):
        if is_dense(layer) and layer is not dense[-1]:
            after = layers[i + 1:i + 5]
            norm = bool(after) and is_batchnorm(after[0])
            activation = activation_name(after[1]) if norm and len(after) > 1 and isinstance(
                after[1], keras.layers.Activation) else activation_name(layer)
            rest = after[2:] if norm else after
            rate = float(rest[0].rate) if rest and isinstance(rest[0], keras.layers.Dropout) else 0.0
            hidden.append(LayerSpec(int(layer.units), activation, rate, norm))
    out = dense[-1]
    return NetworkSpec(input_size=int(model.input_shape[-1]), hidden=tuple(hidden), output_units=int(out.units),
                       output_activation=activation_name(out), init=one_init([init_of(layer) for layer in dense]),
                       skip=not isinstance(model, keras.Sequential))


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
KERAS_OWN = (("Functional", "keras.src.models.functional"), ("__keras_tensor__", None))  # a functional model's
MAX_CONFIG_DEPTH = 12  # a real config nests 6 deep
BLOCK = ("Dense", "BatchNormalization", "Activation", "Dropout", "Add")  # a hidden layer's chain, at its longest
MAX_SAVED_LAYERS = 1 + len(BLOCK) * MAX_HIDDEN_LAYERS + 1  # input, every hidden layer's chain, the output


def _only_keras_objects(node: object, depth: int = 0) -> None:
    """Every serialized object in the config is one of Keras' own: no custom or registered classes."""
    if depth > MAX_CONFIG_DEPTH:
        raise SpecError(later("the config nests deeper than {n} levels: not a Dense network", n=MAX_CONFIG_DEPTH))
    if isinstance(node, dict):
        if "class_name" in node:
            module, registered = node.get("module"), node.get("registered_name")
            known = ((node["class_name"], module) in KERAS_OWN and registered in (None, node["class_name"])) or (
                module in KERAS_MODULES and registered in (None, node["class_name"]))
            if not known:
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
    """The `NetworkSpec` a `.keras` file's config.json describes, checked against the app's caps (SpecError
    otherwise): a Sequential of Dense layers, each with an optional BatchNormalization and Activation after it and
    an optional Dropout; or, with skip connections, the same layers wired by the functional API exactly as
    `fcviz.net.model.build_model` wires them, an Add joining each layer's output to its input of the same width."""
    if not isinstance(config, dict):
        raise SpecError(N_("config.json is not a Keras model config"))
    functional = config.get("class_name") == "Functional"
    if config.get("class_name") != "Sequential" and not functional:
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
    allowed = {"InputLayer", *BLOCK} - (set() if functional else {"Add"})
    unknown = sorted({str(k)[:40] for k in kinds} - allowed)
    if unknown:
        raise SpecError(later("expected only Dense, BatchNormalization, Activation, Dropout and Add layers, found "
                              "{names}", names=", ".join(unknown)))
    if kinds[0] == "InputLayer":
        shape = _get(layers[0], "config", "batch_shape")
    elif functional:
        raise SpecError(N_("expected the model's first layer to be its Input"))
    else:
        shape = _get(config, "config", "build_input_shape")
    if not isinstance(shape, list) or len(shape) != 2 or shape[0] is not None:
        raise SpecError(later("expected an input of shape (None, n), got {shape}", shape=str(shape)[:60]))
    chain = layers[1:] if kinds[0] == "InputLayer" else layers
    blocks = _blocks(chain, [str(k) for k in kinds[len(layers) - len(chain):]], functional)
    *hidden, out = blocks
    if out.norm or out.rate or out.add is not None:
        raise SpecError(N_("expected the last layer to be the Dense output layer"))
    spec = NetworkSpec(input_size=shape[1], hidden=tuple(LayerSpec(b.units, b.activation, b.rate, b.norm)
                                                         for b in hidden),
                       output_units=out.units, output_activation=out.activation,
                       init=one_init([b.init for b in blocks]), skip=functional)
    _check_layers(config, layers, blocks, spec, functional)
    return spec


@dataclass(frozen=True)
class _Block:
    """One Dense layer of a saved config and the layers after it (indices into the chain, after the Input)."""

    start: int  # its Dense
    end: int  # one past its last layer
    units: int
    activation: str
    rate: float
    norm: bool
    init: Init
    add: int | None  # its Add (a skip connection)


def _blocks(chain: list, kinds: list[str], functional: bool) -> list[_Block]:
    """The chain of layers cut into Dense layers and what follows each: [BatchNormalization, Activation],
    [Dropout], [Add]; SpecError for any other order."""
    blocks, i = [], 0
    while i < len(kinds):
        if kinds[i] != "Dense":
            raise SpecError(N_("expected Dense layers, each followed by at most one Dropout"))
        conf = _get(chain[i], "config")
        if _get(conf, "use_bias") is not True:
            raise SpecError(N_("every Dense layer needs its bias (use_bias=True)"))
        init = init_from_config(_get(conf, "kernel_initializer"))
        units, activation = _get(conf, "units"), _get(conf, "activation")
        j, norm, rate, add = i + 1, False, 0.0, None
        if kinds[j:j + 1] == ["BatchNormalization"]:
            if activation != "linear" or kinds[j + 1:j + 2] != ["Activation"]:
                raise SpecError(N_("a BatchNormalization must come between a Dense layer without activation and "
                                   "an Activation layer"))
            _check_batchnorm(_get(chain[j], "config"))
            activation, norm, j = _get(chain[j + 1], "config", "activation"), True, j + 2
        if kinds[j:j + 1] == ["Dropout"]:
            rate, j = _get(chain[j], "config", "rate"), j + 1
        if kinds[j:j + 1] == ["Add"] and functional:
            _check_options(_get(chain[j], "config"), {}, "Add")
            add, j = j, j + 1
        blocks.append(_Block(i, j, units, activation, rate, norm, init, add))
        i = j
    if not blocks:
        raise SpecError(N_("the model has no Dense layer"))
    return blocks


@functools.cache
def _batchnorm_options() -> dict:
    """Keras' own `BatchNormalization()` options, as its config.json writes them: the one batch norm fcviz builds."""
    config = json.loads(json.dumps(keras.saving.serialize_keras_object(keras.layers.BatchNormalization())["config"]))
    return {key: value for key, value in config.items() if key not in LAYER_KEYS}


LAYER_KEYS = ("name", "trainable", "dtype")  # what every layer's config holds besides its options


def _check_batchnorm(conf: object) -> None:
    _check_options(conf, _batchnorm_options(), "BatchNormalization")


def _check_options(conf: object, wanted: dict, kind: str) -> None:
    """A layer's options are exactly `wanted` (Keras' defaults, what fcviz builds), or SpecError naming the first
    that is not: another axis, a huge epsilon, renormalisation, a regulariser…"""
    if not isinstance(conf, dict):
        raise SpecError(later("the config lacks {path}: not a Sequential model saved by Keras 3", path=kind))
    if conf.get("trainable", True) is not True:
        raise SpecError(later("its {kind} layer is frozen (trainable=false); fcviz trains every layer", kind=kind))
    for key, value in conf.items():
        if key not in LAYER_KEYS and (key not in wanted or value != wanted[key] or type(value) is not type(
                wanted[key])):
            raise SpecError(later("its {kind} has {key}={value}; fcviz builds Keras' default {kind}()", kind=kind,
                                  key=str(key)[:40], value=str(value)[:40]))
    missing = [key for key in wanted if key not in conf]
    if missing:
        raise SpecError(later("its {kind} has no {key}; fcviz builds Keras' default {kind}()", kind=kind,
                              key=missing[0]))


def _check_layers(config: dict, layers: list, blocks: list[_Block], spec: NetworkSpec, functional: bool) -> None:
    """Every layer is built for the width it reads (its build config), and a functional config is wired exactly as
    `build_model` wires it: each layer reads the one before it, and each Add the output of its layer and that
    layer's input, of the same width; nothing reads a later layer (no cycle), nothing else joins in. SpecError
    otherwise."""
    names = [_get(layer, "name") if functional else _get(layer, "config", "name") for layer in layers]
    if functional and (not all(isinstance(n, str) for n in names) or len(set(names)) != len(names)):
        raise SpecError(N_("two layers of the model have the same name"))
    chain = layers[len(layers) - blocks[-1].end:]  # after the Input, if there is one
    reads: list[list[int]] = []  # what each layer of the chain reads: indices into the chain, -1 the input
    widths: list[int] = []  # each layer's output width
    for k, block in enumerate(blocks):
        for j in range(block.start, block.end):
            if j == block.add:
                n_in, n_out = (widths[block.start - 1] if block.start else spec.input_size), widths[j - 1]
                if n_in != n_out:
                    raise SpecError(later("{name} adds a width of {n_in:,} to a width of {n_out:,}: a skip connection "
                                          "needs the same width", name=str(_get(chain[j], "name"))[:40], n_in=n_in,
                                          n_out=n_out))
                reads.append([j - 1, block.start - 1])
            else:
                reads.append([j - 1])
            widths.append(block.units if j == block.start else widths[j - 1])
        if block.add is not None and not spec.skip_at(k + 1):
            raise SpecError(N_("a skip connection where fcviz would not add one"))
        if functional and block.add is None and k < len(spec.hidden) and spec.skip_at(k + 1):
            raise SpecError(later("hidden layer {i} has no skip connection though its widths match", i=k + 1))

    def width(i: int) -> int:
        return spec.input_size if i < 0 else widths[i]

    def name(i: int) -> str:
        return str(names[0] if i < 0 else names[len(layers) - len(chain) + i])[:40]

    for j, layer in enumerate(chain):
        wanted = [width(i) for i in reads[j]]
        shapes = [[None, w] for w in wanted]
        built = layer.get("build_config") if isinstance(layer, dict) else None
        if built is not None and built not in ({"input_shape": shapes[0] if len(shapes) == 1 else shapes},
                                               {"input_shape": None}):
            raise SpecError(later("{name} is built for {shape}; its input is (None, {n})", name=name(j),
                                  shape=str(built.get("input_shape") if isinstance(built, dict) else built)[:40],
                                  n=wanted[0]))
        if not functional:
            continue
        read, want = _inbound(layer), [names[0] if i < 0 else names[1 + i] for i in reads[j]]
        if read != want:
            later_layer = next((n for n in read if n in names and names.index(n) > j), None)
            if later_layer is not None:
                raise SpecError(later("{name} reads {other}, which comes after it: the layers make a cycle",
                                      name=name(j), other=str(later_layer)[:40]))
            raise SpecError(later("{name} reads {read}; fcviz wires it to {wanted}", name=name(j),
                                  read=", ".join(map(str, read))[:80], wanted=", ".join(want)))
        for tensor_shape in _declared_shapes(layer):
            if tensor_shape not in shapes:
                raise SpecError(later("{name} declares an input of shape {shape}; its input is (None, {n})",
                                      name=name(j), shape=str(tensor_shape)[:40], n=wanted[0]))
    if functional:
        if _inbound(layers[0]):
            raise SpecError(later("{name} reads {read}; fcviz wires it to {wanted}", name=name(-1),
                                  read=", ".join(map(str, _inbound(layers[0])))[:80], wanted="—"))
        for key, end in (("input_layers", names[0]), ("output_layers", names[-1])):
            if _get(config, "config", key) not in ([end, 0, 0], [[end, 0, 0]]):
                raise SpecError(later("its {key} are {value}; fcviz's model reads {name} and ends at it", key=key,
                                      value=str(_get(config, "config", key))[:60], name=str(end)[:40]))


def _inbound(layer: dict) -> list[str]:
    """The names of the layers `layer` reads, from its one inbound node (SpecError for another shape of node)."""
    nodes = _get(layer, "inbound_nodes")
    if not isinstance(nodes, list) or len(nodes) > 1:
        raise SpecError(later("{name} is called more than once: fcviz calls each layer once",
                              name=str(_get(layer, "name"))[:40]))
    if not nodes:
        return []
    args, kwargs = _get(nodes[0], "args"), _get(nodes[0], "kwargs")
    if not isinstance(args, list) or len(args) != 1 or kwargs not in ({}, {"mask": None}, {"training": False}):
        raise SpecError(later("{name} is called with other arguments than fcviz's", name=str(_get(layer, "name"))[:40]))
    tensors = args[0] if isinstance(args[0], list) else [args[0]]
    read = []
    for tensor in tensors:
        history = _get(tensor, "config", "keras_history")
        if not isinstance(history, list) or len(history) != 3 or history[1:] != [0, 0]:
            raise SpecError(later("{name} reads {what}: not a layer's one output", name=str(_get(layer, "name"))[:40],
                                  what=str(history)[:60]))
        read.append(history[0])
    return read


def _declared_shapes(layer: dict) -> list:
    nodes = _get(layer, "inbound_nodes")
    if not nodes:
        return []
    arg = _get(nodes[0], "args", 0)
    return [_get(t, "config", "shape") for t in (arg if isinstance(arg, list) else [arg])]


def params_of(spec: NetworkSpec) -> int:
    """Kernel and bias weights of every Dense layer, and batch norm's γ, β, moving mean and variance: what
    `model.count_params()` says once built."""
    widths = spec.widths
    return sum(a * b + b for a, b in zip(widths, widths[1:])) + sum(4 * h.units for h in spec.hidden if h.batchnorm)
