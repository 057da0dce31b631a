"""Training settings, validated like `NetworkSpec` and round-tripping to URL parameters."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from fcviz.spec import check_choice, check_int, check_number, parse_float, parse_int

OPTIMIZERS: tuple[str, ...] = ("adam", "sgd", "rmsprop")
LEARNING_RATES: tuple[float, ...] = (1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BATCH_SIZES: tuple[int, ...] = (8, 16, 32, 64, 128, 256, 512, 1024)
L2_VALUES: tuple[float, ...] = (0.0, 1e-5, 1e-4, 1e-3, 1e-2, 0.1)
TRAIN_SIZES: tuple[int, ...] = (10, 20, 50, 100, 200, 300, 500, 1000, 2000, 3000, 4000, 6000, 10_000, 20_000,
                                30_000, 60_000)
MAX_EPOCHS = 200
MIN_TRAIN_SIZE = 10
MAX_LEARNING_RATE = 10.0


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 10
    batch_size: int = 128
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    train_size: int = 4000
    l2: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        check_int("epochs", self.epochs, 1, MAX_EPOCHS)
        check_int("batch size", self.batch_size, 1, 60_000)
        check_choice("optimizer", self.optimizer, OPTIMIZERS)
        check_int("training-set size", self.train_size, MIN_TRAIN_SIZE, 60_000)
        check_int("seed", self.seed, 0, 2**31 - 1)
        object.__setattr__(self, "learning_rate",
                           check_number("learning rate", self.learning_rate, 0.0, MAX_LEARNING_RATE, above_low=True))
        object.__setattr__(self, "l2", check_number("L2", self.l2, 0.0, 1.0))

    def to_query(self) -> dict[str, str]:
        return {
            "epochs": str(self.epochs), "batch": str(self.batch_size), "opt": self.optimizer,
            "lr": repr(self.learning_rate), "n_train": str(self.train_size), "l2": repr(self.l2),
            "seed": str(self.seed),
        }

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "TrainConfig":
        d = cls()
        return cls(
            epochs=parse_int("epochs", query.get("epochs", str(d.epochs))),
            batch_size=parse_int("batch", query.get("batch", str(d.batch_size))),
            optimizer=query.get("opt", d.optimizer),
            learning_rate=parse_float("lr", query.get("lr", repr(d.learning_rate))),
            train_size=parse_int("n_train", query.get("n_train", str(d.train_size))),
            l2=parse_float("l2", query.get("l2", repr(d.l2))),
            seed=parse_int("seed", query.get("seed", str(d.seed))),
        )
