"""Training settings, validated against the rows of `fcviz.fields` like `NetworkSpec`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from fcviz import fields

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
    seed: int = _F("seed").default

    def __post_init__(self) -> None:
        fields.validate(self, "training")

    def to_query(self) -> dict[str, str]:
        from fcviz.settings import Settings

        return Settings(training=self).to_query(owners=("training",))

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "TrainConfig":
        from fcviz.settings import Settings

        return Settings.from_query(query).training
