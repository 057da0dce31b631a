"""How a network's weights start, each choice once: its name in links, the Keras initialiser (the model builder, the
exported script and the upload checker all read it from here) and what it does to the spread of a layer's outputs.

One of the lecture's "heroes of deep learning" is Xavier initialisation: with a plain normal (σ = 1) every layer
multiplies the spread of its outputs by about √fan_in, and with zeros every unit of a layer stays the same unit.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fcviz.i18n import N_


class Init(StrEnum):
    """The initialisations a student can choose (a link's `init=` value)."""

    XAVIER = "xavier"
    HE = "he"
    NORMAL = "normal"
    ZEROS = "zeros"


@dataclass(frozen=True)
class Initializer:
    """One choice: `keras.initializers.<keras_class>(**options, seed=…)` (no seed when it draws nothing), how the
    page names it, and one sentence on what it does to the spread of a layer's outputs."""

    init: Init
    keras_class: str
    label: str
    says: str
    options: tuple[tuple[str, float], ...] = ()  # the keyword arguments besides the seed, as Keras' config holds them
    seeded: bool = True  # draws random numbers (Zeros draws none and takes no seed)

    def expected_std(self, fan_in: int, fan_out: int) -> float:
        """The spread (standard deviation) of the weights it draws for a kernel of shape (fan_in, fan_out)."""
        if self.init == Init.XAVIER:
            return (2.0 / (fan_in + fan_out)) ** 0.5
        if self.init == Init.HE:
            return (2.0 / fan_in) ** 0.5
        return dict(self.options).get("stddev", 0.0)

    def code(self, seed: str) -> str:
        """The Python expression that makes it, as the exported script writes it (`seed`: the seed's expression)."""
        args = [f"{name}={value!r}" for name, value in self.options] + ([f"seed={seed}"] if self.seeded else [])
        return f"keras.initializers.{self.keras_class}({', '.join(args)})"


INITIALIZERS: tuple[Initializer, ...] = (
    Initializer(Init.XAVIER, "GlorotUniform", N_("Xavier (Glorot uniform)"),
                N_("Keras' default: uniform weights with a spread of √(2 / (fan_in + fan_out)), so a layer's outputs keep "
                   "about the spread of its inputs, forwards and backwards (Xavier initialisation).")),
    Initializer(Init.HE, "HeNormal", N_("He (normal)"),
                N_("Normal weights with a spread of √(2 / fan_in): twice Xavier's variance, because a ReLU switches off "
                   "half of its inputs. It keeps the spread steady through deep ReLU networks (He initialisation).")),
    Initializer(Init.NORMAL, "RandomNormal", N_("Normal, σ = 1"),
                N_("The naive choice before Xavier: every weight from a normal with σ = 1. A unit sums hundreds of "
                   "inputs, so each layer multiplies the spread by about √fan_in: sigmoid and tanh saturate, and the "
                   "loss starts huge."), options=(("mean", 0.0), ("stddev", 1.0))),
    Initializer(Init.ZEROS, "Zeros", N_("Zeros"),
                N_("Every weight 0: every unit of a layer computes the same number and gets the same gradient, so they "
                   "stay the same unit forever. The symmetry never breaks."), seeded=False),
)
BY_NAME: dict[Init, Initializer] = {i.init: i for i in INITIALIZERS}
NAMES: tuple[Init, ...] = tuple(BY_NAME)
DEFAULT = Init.XAVIER  # what Keras' Dense does by itself, and what every link without `init=` builds
