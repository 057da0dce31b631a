"""The one description of a network that every page reads and writes.

A `NetworkSpec` validates itself on construction, so a bad value is caught at the
boundary (a URL, a widget, a test) with a message that says what was expected and
what was received, instead of deep inside Keras.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

HIDDEN_ACTIVATIONS: tuple[str, ...] = ("relu", "sigmoid", "tanh", "linear")
OUTPUT_ACTIVATIONS: tuple[str, ...] = ("softmax", "linear", "sigmoid")

# Caps a 2-core laptop survives while 30 students share one server.
MAX_HIDDEN_LAYERS = 8
MAX_UNITS = 1024
MAX_INPUT_SIZE = 4096
MAX_DROPOUT = 0.9


class SpecError(ValueError):
    """A network description that cannot be built; the message says why."""


def check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    if not low <= value <= high:
        raise SpecError(f"{name} must be from {low} to {high:,}, got {value:,}")
    return value


def check_number(name: str, value: object, low: float, high: float, above_low: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise SpecError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    if not (low < value if above_low else low <= value) or value > high:
        raise SpecError(f"{name} must be {'above' if above_low else 'from'} {low:g} {'and at most' if above_low else 'to'} "
                        f"{high:g}, got {value}")
    return float(value)


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise SpecError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return str(value)


@dataclass(frozen=True)
class LayerSpec:
    """One hidden Dense layer, with the dropout applied to its output while training."""

    units: int = 128
    activation: str = "relu"
    dropout: float = 0.0

    def __post_init__(self) -> None:
        check_int("units", self.units, 1, MAX_UNITS)
        check_choice("activation", self.activation, HIDDEN_ACTIVATIONS)
        object.__setattr__(self, "dropout", check_number("dropout", self.dropout, 0.0, MAX_DROPOUT))


@dataclass(frozen=True)
class NetworkSpec:
    """Input size, hidden layers and output layer of a fully connected network."""

    input_size: int = 784
    hidden: tuple[LayerSpec, ...] = field(default_factory=lambda: (LayerSpec(128),))
    output_units: int = 10
    output_activation: str = "softmax"

    def __post_init__(self) -> None:
        check_int("input size", self.input_size, 1, MAX_INPUT_SIZE)
        hidden = tuple(self.hidden)
        if len(hidden) > MAX_HIDDEN_LAYERS:
            raise SpecError(
                f"at most {MAX_HIDDEN_LAYERS} hidden layers are allowed, got {len(hidden)}"
            )
        for i, layer in enumerate(hidden, 1):
            if not isinstance(layer, LayerSpec):
                raise SpecError(f"hidden layer {i} must be a LayerSpec, got {layer!r}")
        object.__setattr__(self, "hidden", hidden)
        check_int("output units", self.output_units, 1, MAX_UNITS)
        check_choice("output activation", self.output_activation, OUTPUT_ACTIVATIONS)

    @property
    def widths(self) -> list[int]:
        """Units of every layer from input to output, e.g. [784, 128, 10]."""
        return [self.input_size, *(h.units for h in self.hidden), self.output_units]

    def with_hidden(self, hidden: list[LayerSpec] | tuple[LayerSpec, ...]) -> "NetworkSpec":
        return replace(self, hidden=tuple(hidden))

    def with_dropout(self, rate: float) -> "NetworkSpec":
        """The same network with one dropout rate after every hidden layer."""
        return self.with_hidden([replace(h, dropout=rate) for h in self.hidden])

    def describe(self) -> str:
        """Short name such as `784-128-10`, used for runs and file names."""
        return "-".join(str(w) for w in self.widths)

    # --- flat dict of strings, for URL query parameters -------------------------
    def to_query(self) -> dict[str, str]:
        return {
            "input": str(self.input_size),
            "units": ",".join(str(h.units) for h in self.hidden),
            "act": ",".join(h.activation for h in self.hidden),
            "dropout": ",".join(repr(h.dropout) for h in self.hidden),
            "out": str(self.output_units),
            "out_act": self.output_activation,
        }

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "NetworkSpec":
        """Inverse of `to_query`; missing keys take the defaults, bad ones raise SpecError."""
        default = cls()
        units = _split_ints("units", query.get("units", ",".join(str(h.units) for h in default.hidden)))
        if len(units) > MAX_HIDDEN_LAYERS:
            raise SpecError(f"at most {MAX_HIDDEN_LAYERS} hidden layers are allowed, got {len(units)}")
        acts = _split(query.get("act", ""), len(units), "relu", "act")
        drops = [parse_float("dropout", d) for d in _split(query.get("dropout", ""), len(units), "0.0", "dropout")]
        return cls(
            input_size=parse_int("input", query.get("input", str(default.input_size))),
            hidden=tuple(LayerSpec(u, a, d) for u, a, d in zip(units, acts, drops)),
            output_units=parse_int("out", query.get("out", str(default.output_units))),
            output_activation=query.get("out_act", default.output_activation),
        )


def parse_int(name: str, text: str) -> int:
    try:
        return int(text.strip())
    except (ValueError, AttributeError):
        raise SpecError(f"{name} must be a whole number, got {text!r}") from None


def parse_float(name: str, text: str) -> float:
    try:
        return float(text.strip())
    except (ValueError, AttributeError):
        raise SpecError(f"{name} must be a number, got {text!r}") from None


def _split_ints(name: str, text: str) -> list[int]:
    return [parse_int(name, t) for t in text.split(",") if t.strip()] if text.strip() else []


def _split(text: str, n: int, default: str, name: str) -> list[str]:
    """Comma list of length n: empty means all default; a wrong length is an error."""
    parts = [t.strip() for t in text.split(",")] if text.strip() else []
    if not parts:
        return [default] * n
    if len(parts) != n:
        raise SpecError(f"{name} needs {n} comma-separated values (one per hidden layer), got {len(parts)}")
    return parts
