"""Training settings, validated against the rows of `fcviz.settings.fields` like `NetworkSpec`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from fcviz.settings import fields

_F = fields.field


@dataclass(frozen=True)
class TrainConfig:
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
        return fields.write_query(fields.values_of(self, "training"))

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "TrainConfig":
        return cls(**fields.attrs_of(fields.read_query(query, None), "training"))
