"""Training settings, validated against the rows of `fcviz.settings.fields` like `NetworkSpec`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from fcviz.settings import fields

_F = fields.field


@dataclass(frozen=True)
class TrainConfig:
    """How a run trains: the Train page's settings, validated on construction and kept with the run, so a saved file, a
    link or the exported script trains it the same way."""

    epochs: int = _F("epochs").default
    batch_size: int = _F("batch").default
    optimizer: str = _F("opt").default
    learning_rate: float = _F("lr").default
    lr_decay: float = _F("decay").default
    train_size: int = _F("n_train").default
    l2: float = _F("l2").default
    augment: bool = _F("augment").default
    seed: int = _F("seed").default

    def __post_init__(self) -> None:
        fields.validate(self, "training")

    def to_query(self) -> dict[str, str]:
        """This training's part of a link (see `fcviz.settings.link`)."""
        return fields.write_query(fields.values_of(self, "training"))

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "TrainConfig":
        """Inverse of `to_query`; missing keys take the defaults, bad ones raise SpecError."""
        return cls(**fields.attrs_of(fields.read_query(query, None), "training"))
