"""The one description of a network that every page reads and writes.

A `NetworkSpec` validates itself on construction (against the rows of `fcviz.settings.fields`), so a bad
value is caught at the boundary (a URL, a widget, a test) with a message that says what was
expected and what was received, instead of deep inside Keras.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

from fcviz.i18n import later
from fcviz.settings import fields
from fcviz.settings.fields import HIDDEN_ACTIVATIONS, HIDDEN_LAYERS, OUTPUT_ACTIVATIONS, SpecError  # noqa: F401 (re-exported)
from fcviz.settings.initializers import Init

MAX_HIDDEN_LAYERS: int = HIDDEN_LAYERS.high
MAX_UNITS: int = fields.field("units").high
MAX_DROPOUT: float = fields.field("dropout").high


@dataclass(frozen=True)
class LayerSpec:
    """One hidden Dense layer, with the dropout applied to its output while training, and batch normalisation
    between its `X @ W + b` and its activation when `batchnorm`."""

    units: int = fields.field("units").default
    activation: str = fields.field("act").default
    dropout: float = fields.field("dropout").default
    batchnorm: bool = fields.field("bn").default

    def __post_init__(self) -> None:
        fields.validate(self, "layer")

    @classmethod
    def added(cls) -> "LayerSpec":
        """The layer the Build page adds when the network gets deeper."""
        return cls(**{f.attr: f.fallback for f in fields.of("layer")})


@dataclass(frozen=True)
class Skip:
    """Hidden layer `layer`'s skip connection (1-based): its input of width `n_in` added to its output of width
    `n_out`, which only fits when the two are the same width."""

    layer: int
    n_in: int
    n_out: int

    @property
    def fits(self) -> bool:
        """Whether the input can be added to the output, element by element."""
        return self.n_in == self.n_out


@dataclass(frozen=True)
class NetworkSpec:
    """Input size, hidden layers and output layer of a fully connected network."""

    input_size: int = fields.field("input").default
    hidden: tuple[LayerSpec, ...] = field(default_factory=lambda: (LayerSpec(),))
    output_units: int = fields.field("out").default
    output_activation: str = fields.field("out_act").default
    init: Init = fields.field("init").default  # how every kernel starts (`fcviz.settings.initializers`)
    skip: bool = fields.field("skip").default  # each hidden layer's input added to its output where widths match

    def __post_init__(self) -> None:
        hidden = tuple(self.hidden)
        if len(hidden) > MAX_HIDDEN_LAYERS:
            raise SpecError(later("at most {limit} hidden layers are allowed, got {n}", limit=MAX_HIDDEN_LAYERS,
                                  n=len(hidden)))
        for i, layer in enumerate(hidden, 1):
            if not isinstance(layer, LayerSpec):
                raise SpecError(f"hidden layer {i} must be a LayerSpec, got {layer!r}")
        object.__setattr__(self, "hidden", hidden)
        fields.validate(self, "network")

    @property
    def widths(self) -> list[int]:
        """Units of every layer from input to output, e.g. [784, 128, 10]."""
        return [self.input_size, *(h.units for h in self.hidden), self.output_units]

    @property
    def name(self) -> str:
        """Short name such as `784-128-10`, used for runs and file names."""
        return "-".join(str(w) for w in self.widths)

    def skips(self) -> tuple["Skip", ...]:
        """Each hidden layer's skip connection: whether its input can be added to its output (same width)."""
        widths = self.widths
        return tuple(Skip(i, widths[i - 1], widths[i]) for i in range(1, len(self.hidden) + 1))

    def skip_at(self, i: int) -> bool:
        """Whether hidden layer `i` (1-based) adds its input to its output: skip connections on, the widths match."""
        return self.skip and self.skips()[i - 1].fits

    def with_hidden(self, hidden: list[LayerSpec] | tuple[LayerSpec, ...]) -> "NetworkSpec":
        """The same network with other hidden layers (the Build page's edits), validated again."""
        return replace(self, hidden=tuple(hidden))

    def with_dropout(self, rate: float) -> "NetworkSpec":
        """The same network with one dropout rate after every hidden layer."""
        return self.with_hidden([replace(h, dropout=rate) for h in self.hidden])

    def values(self) -> dict[str, object]:
        """Every field's value by link key (per-layer fields as lists)."""
        per_layer = {f.key: [getattr(h, f.attr) for h in self.hidden] for f in fields.of("layer")}
        return {**per_layer, **fields.values_of(self, "network")}

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> "NetworkSpec":
        """Inverse of `values`: the per-layer lists, one item per hidden layer, become the `LayerSpec`s."""
        per_layer = fields.attrs_of(values, "layer")
        hidden = tuple(LayerSpec(**dict(zip(per_layer, items))) for items in zip(*per_layer.values()))
        return cls(hidden=hidden, **fields.attrs_of(values, "network"))

    def to_query(self) -> dict[str, str]:
        """This network's part of a link (see `fcviz.settings.link`)."""
        return fields.write_query(self.values())

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "NetworkSpec":
        """Inverse of `to_query`; missing keys take the defaults, bad ones raise SpecError."""
        return cls.from_values(fields.read_query(query, None))
