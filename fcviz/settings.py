"""Everything a link can carry: the network, the training settings, the data and the classroom view.

`Settings.from_query` is strict (for tests and tools); `Settings.from_link` never fails: it
keeps what is valid, moves out-of-range numbers to the nearest valid value, falls back to the
default for the rest, and says in words what it changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from fcviz.spec import (
    HIDDEN_ACTIVATIONS, MAX_DROPOUT, MAX_HIDDEN_LAYERS, MAX_INPUT_SIZE, MAX_UNITS, OUTPUT_ACTIVATIONS, LayerSpec,
    NetworkSpec, SpecError,
)
from fcviz.train_config import MAX_EPOCHS, MAX_LEARNING_RATE, MIN_TRAIN_SIZE, OPTIMIZERS, TrainConfig

DATA_SOURCES = ("sample", "mnist")  # a local file path never travels in a link
HIDEABLE = ("data", "train_size", "epochs", "batch", "optimizer", "lr", "dropout", "l2", "layers")
NETWORK_KEYS = ("input", "units", "act", "dropout", "out", "out_act")
TRAIN_KEYS = ("epochs", "batch", "opt", "lr", "n_train", "l2", "seed")
OTHER_KEYS = ("data", "classroom", "hide")


@dataclass(frozen=True)
class Settings:
    network: NetworkSpec = field(default_factory=NetworkSpec)
    training: TrainConfig = field(default_factory=TrainConfig)
    data: str = "sample"
    classroom: bool = False
    hide: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.data not in DATA_SOURCES:
            raise SpecError(f"data must be one of {', '.join(DATA_SOURCES)}; got {self.data!r}")
        unknown = [h for h in self.hide if h not in HIDEABLE]
        if unknown:
            raise SpecError(f"hide accepts {', '.join(HIDEABLE)}; got {', '.join(unknown)}")

    def to_query(self) -> dict[str, str]:
        query = {**self.network.to_query(), **self.training.to_query(), "data": self.data}
        if self.classroom:
            query["classroom"] = "1"
        if self.hide:
            query["hide"] = ",".join(self.hide)
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "Settings":
        return cls(
            network=NetworkSpec.from_query(query),
            training=TrainConfig.from_query(query),
            data=query.get("data", "sample"),
            classroom=query.get("classroom", "0") in ("1", "true", "yes"),
            hide=tuple(h for h in query.get("hide", "").split(",") if h),
        )

    @classmethod
    def from_link(cls, query: Mapping[str, str]) -> tuple["Settings", list[str]]:
        """The nearest valid settings to `query`, and a sentence for each thing that had to change."""
        notes: list[str] = []
        unknown = sorted(set(query) - set(NETWORK_KEYS + TRAIN_KEYS + OTHER_KEYS))
        if unknown:
            more = f" and {len(unknown) - 10:,} more" if len(unknown) > 10 else ""
            notes.append(f"Ignored unknown link parameters: {', '.join(_short(k) for k in unknown[:10])}{more}.")
        try:
            return cls.from_query({k: v for k, v in query.items() if k not in unknown}), notes
        except SpecError:
            pass
        return cls(network=_lenient_network(query, notes), training=_lenient_training(query, notes),
                   data=_choice(query, "data", DATA_SOURCES, "sample", notes),
                   classroom=query.get("classroom", "0") in ("1", "true", "yes"),
                   hide=_hide(query, notes)), notes


def _short(text: str, limit: int = 40) -> str:
    """A link value as quoted back in a note: long garbage would bury the message."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _number(query: Mapping[str, str], key: str, default: float, low: float, high: float, notes: list[str],
            whole: bool = True) -> float:
    text = query.get(key)
    if text is None:
        return default
    try:
        value = float(text)
        if value != value:
            raise ValueError
    except ValueError:
        notes.append(f"'{key}={_short(text)}' is not a number: using {default:g}.")
        return default
    clamped = min(max(value, low), high)  # before rounding: round(inf) would raise
    nearest = int(round(clamped)) if whole else float(clamped)
    if clamped != value:
        notes.append(f"'{key}={_short(text)}' is outside {low:g}–{high:g}: using {nearest:g}.")
    return nearest


def _choice(query: Mapping[str, str], key: str, choices: tuple, default: str, notes: list[str]) -> str:
    value = query.get(key, default)
    if value not in choices:
        notes.append(f"'{key}={_short(value)}' is not one of {', '.join(choices)}: using {default}.")
        return default
    return value


def _list(query: Mapping[str, str], key: str) -> list[str]:
    return [t.strip() for t in query.get(key, "").split(",") if t.strip()]


def _lenient_network(query: Mapping[str, str], notes: list[str]) -> NetworkSpec:
    default = NetworkSpec()
    units_text = _list(query, "units") if "units" in query else [str(h.units) for h in default.hidden]
    if len(units_text) > MAX_HIDDEN_LAYERS:
        notes.append(f"{len(units_text):,} hidden layers asked for; the limit is {MAX_HIDDEN_LAYERS}: keeping the "
                     f"first {MAX_HIDDEN_LAYERS}.")
        units_text = units_text[:MAX_HIDDEN_LAYERS]
    acts, drops = _list(query, "act"), _list(query, "dropout")
    hidden = []
    for i, text in enumerate(units_text):
        units = int(_number({"units": text}, "units", 64, 1, MAX_UNITS, notes))
        act = _choice({"act": acts[i]} if i < len(acts) else {}, "act", HIDDEN_ACTIVATIONS, "relu", notes)
        drop = _number({"dropout": drops[i]} if i < len(drops) else {}, "dropout", 0.0, 0.0, MAX_DROPOUT, notes,
                       whole=False)
        hidden.append(LayerSpec(units, act, drop))
    return NetworkSpec(
        input_size=int(_number(query, "input", default.input_size, 1, MAX_INPUT_SIZE, notes)),
        hidden=tuple(hidden),
        output_units=int(_number(query, "out", default.output_units, 1, MAX_UNITS, notes)),
        output_activation=_choice(query, "out_act", OUTPUT_ACTIVATIONS, default.output_activation, notes),
    )


def _lenient_training(query: Mapping[str, str], notes: list[str]) -> TrainConfig:
    d = TrainConfig()
    lr = _number(query, "lr", d.learning_rate, 1e-6, MAX_LEARNING_RATE, notes, whole=False)
    return TrainConfig(
        epochs=int(_number(query, "epochs", d.epochs, 1, MAX_EPOCHS, notes)),
        batch_size=int(_number(query, "batch", d.batch_size, 1, 60_000, notes)),
        optimizer=_choice(query, "opt", OPTIMIZERS, d.optimizer, notes),
        learning_rate=lr,
        train_size=int(_number(query, "n_train", d.train_size, MIN_TRAIN_SIZE, 60_000, notes)),
        l2=_number(query, "l2", d.l2, 0.0, 1.0, notes, whole=False),
        seed=int(_number(query, "seed", d.seed, 0, 2**31 - 1, notes)),
    )


def _hide(query: Mapping[str, str], notes: list[str]) -> tuple[str, ...]:
    asked = _list(query, "hide")
    bad = [h for h in asked if h not in HIDEABLE]
    if bad:
        notes.append(f"Cannot hide {_short(', '.join(bad))}; hideable controls: {', '.join(HIDEABLE)}.")
    return tuple(h for h in asked if h in HIDEABLE)
