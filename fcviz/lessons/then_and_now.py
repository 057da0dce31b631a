"""Then and now: a training's arithmetic, and how long it would have taken on the first lecture note's two
machines — the 1980s' 486 PC with an AT&T DSP32C board (20 MFLOPS) and today's NVIDIA V100 (100 TFLOPS)."""
from __future__ import annotations

from dataclasses import dataclass

from fcviz.i18n import N_, _, number

# per weight and training sample: a multiply and an add forward, twice as much backward (the usual estimate)
FLOPS_PER_PARAMETER_AND_SAMPLE = 6


@dataclass(frozen=True)
class Machine:
    """A computer of the lecture note's comparison, by its floating-point operations per second."""

    name: str  # marked with N_(): translated where it is shown
    flops: float


THEN = Machine(N_("a 486 PC with a DSP32C board (20 MFLOPS, the 1980s)"), 20e6)
NOW = Machine(N_("a V100 (100 TFLOPS, today)"), 100e12)

_PREFIXES = ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))
# (seconds in the unit, how it is written): the largest that gives at least one of it
_UNITS = ((365 * 86400, N_("{n} years")), (86400, N_("{n} days")), (3600, N_("{n} h")), (60, N_("{n} min")),
          (1, N_("{n} s")), (1e-3, N_("{n} ms")), (1e-6, N_("{n} µs")))


def training_flops(params: int, samples_seen: int) -> float:
    """Floating-point operations of a training, ≈ 6 × parameters × samples seen: what makes a network's size and
    its data set cost time, on any machine."""
    return FLOPS_PER_PARAMETER_AND_SAMPLE * params * samples_seen


def flop_text(flops: float) -> str:
    """`flops` with an SI prefix, as the note writes speeds: 12 GFLOP."""
    for size, prefix in _PREFIXES:
        if flops >= size:
            return f"{flops / size:.3g} {prefix}FLOP"
    return f"{flops:.3g} FLOP"


def duration_text(seconds: float) -> str:
    """A time from microseconds to years in the unit a person would say it in: 0.26 ms, 1.4 s, 22 min, 3 days."""
    for size, unit in _UNITS:
        if seconds >= size:
            return _(unit).format(n=number(seconds / size, 0 if seconds / size >= 10 else 1))
    return _(_UNITS[-1][1]).format(n=number(seconds / 1e-6, 2))


def then_and_now(params: int, samples_seen: int, seconds_here: float) -> str:
    """One sentence: the training's arithmetic, the time its epochs took here (`seconds_here`: a queue and the workers'
    start are not arithmetic, and a student who counted them read a contradiction), and on the note's two machines."""
    flops = training_flops(params, samples_seen)
    return _("≈ 6 × {params} parameters × {samples} samples seen = {flops}: {here} of training here (its epochs, "
             "not the wait before them); {then} on {then_name}; {now} on {now_name}.").format(
        params=number(params), samples=number(samples_seen), flops=flop_text(flops),
        here=duration_text(seconds_here), then=duration_text(flops / THEN.flops), then_name=_(THEN.name),
        now=duration_text(flops / NOW.flops), now_name=_(NOW.name))
