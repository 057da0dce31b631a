"""The optimizers a student can choose, each once: its name in links, its Keras class (the training step
and the exported script make it by that name) and the rates the curve reading calls high or tiny for it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Optimizer:
    """One optimizer. Above `sane_rate` its rate is high (a noisy curve, NaN); below `tiny_rate` it hardly
    moves in a lesson's epochs."""

    name: str
    keras_class: str  # keras.optimizers.<keras_class>
    sane_rate: float
    tiny_rate: float


OPTIMIZERS: tuple[Optimizer, ...] = (
    Optimizer("adam", "Adam", sane_rate=0.01, tiny_rate=1e-4),
    Optimizer("sgd", "SGD", sane_rate=1.0, tiny_rate=1e-2),
    Optimizer("rmsprop", "RMSprop", sane_rate=0.01, tiny_rate=1e-4),
)
BY_NAME: dict[str, Optimizer] = {o.name: o for o in OPTIMIZERS}
NAMES: tuple[str, ...] = tuple(BY_NAME)
DEFAULT = OPTIMIZERS[0].name
