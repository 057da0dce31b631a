"""Read the curves the way the lecture does: where the test loss was best, whether the network is
overfitting, and whether the curves say the learning rate is too high (or that it is not learning).

The readings were calibrated on real recorded runs (tests/data/histories.json, made by
scripts/record_histories.py): batch-to-batch noise alone does not tell a too-high rate from a
small batch, so the reading looks at what a too-high rate does to the whole run — a first epoch
that costs more than guessing, spikes far above the curve's own trend, a loss that climbs back,
a test loss that jumps, and accuracy stuck far below what the same network reaches at a sane rate.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from fcviz.data.mnist import CHANCE_LOSS
from fcviz.i18n import _, percent
from fcviz.settings import optimizers
from fcviz.train.history import BatchPoint, EpochStats

PATIENCE = 3  # epochs of rising test loss before we call it overfitting
MIN_STEPS = 100  # optimizer steps before "not learning" can be said (100 digits at batch 128: one per epoch)
OVERSHOOT = 1.2  # a first epoch costing this many times the loss of guessing overshot
SPIKE = 2.5  # a training-curve point this far above its trend (relative, floor 0.2) is a spike
RISE = 1.25  # an epoch's training loss this much above the best before it (plus 0.05) went up
JUMP = 0.2  # a test loss peak this much (relative) above both neighbours is a jump
DROP = 0.03  # a test accuracy this much (absolute) below the epoch before fell: healthy runs move under 0.02
FIRST_SPIKE = 1.5  # a first-epoch training point this many times the loss of guessing: the steps overshoot
EARLY_POINTS = 0.1  # the first tenth of epoch 1 starts at the loss of guessing: spikes are read after it
FITS = 0.8  # training accuracy a network needs before a rising test loss is called overfitting
LOW_ACCURACY = 0.6  # training accuracy below this after MIN_STEPS is far below what MNIST allows
DEEP_SQUASHING = 3  # sigmoid/tanh layers from which vanishing gradients are the likely cause


@dataclass(frozen=True)
class Setup:
    """What the reading needs to know about the run besides its curves."""

    optimizer: str
    learning_rate: float
    lr_decay: float = 1.0
    steps_per_epoch: int = 1
    activations: tuple[str, ...] = field(default_factory=tuple)

    @property
    def high(self) -> bool:
        """Above the optimizer's sane rate (`fcviz.settings.optimizers`): unsteady curves then mean it is too high."""
        return self.learning_rate > optimizers.BY_NAME[self.optimizer].sane_rate

    @property
    def tiny(self) -> bool:
        """Below the optimizer's tiny rate: a network that is not learning may only be taking too small steps."""
        return self.learning_rate < optimizers.BY_NAME[self.optimizer].tiny_rate


@dataclass(frozen=True)
class Diagnosis:
    """What the curves say, for the page: the best epoch, overfitting, a too-high rate or a network that is not
    learning, and the sentences that explain it."""

    best_epoch: int | None  # epoch with the lowest test loss
    overfitting_since: int | None  # first epoch after the best one, when overfitting is clear
    unstable: bool  # the curves say the learning rate is too high
    messages: tuple[str, ...]
    not_learning: bool = False


def diagnose(epochs: Sequence[EpochStats], batches: Sequence[BatchPoint] = (), setup: Setup | None = None,
             patience: int = PATIENCE) -> Diagnosis:
    """Read a run's curves as the lecture does (module docstring); without `setup` the rate advice stays general."""
    if not epochs:
        return Diagnosis(None, None, False, ())
    test = np.array([e.test_loss for e in epochs])
    train = np.array([e.loss for e in epochs])
    best = int(test.argmin())
    rate, learning = _rate_problem(epochs, batches, setup)
    messages = []
    since = None
    epochs_after_best = len(test) - 1 - best
    last = epochs[-1]
    fits = last.accuracy >= FITS  # a network that does not fit its training data is not overfitting it
    if epochs_after_best >= patience and test[-1] > test[best] and train[-1] < train[best] and fits \
            and not (rate or learning):  # a rate too high or a network not learning is the reading, not overfitting
        since = epochs[best].epoch + 1
        messages.append(
            _("Overfitting since epoch {since}: the test loss was lowest at epoch {best} ({low:.3f}) and has risen "
              "to {now:.3f} while the training loss kept falling ({before:.3f} → {after:.3f}). Try dropout, fewer "
              "units, L2 or more training data.").format(since=since, best=epochs[best].epoch, low=test[best],
                                                         now=test[-1], before=train[best], after=train[-1]))
    if rate:
        messages.append(rate)
    elif learning:
        messages.append(learning)
    return Diagnosis(epochs[best].epoch, since, bool(rate), tuple(messages), not_learning=bool(learning and not rate))


def _stalled(epochs: Sequence[EpochStats], setup: Setup | None) -> str | None:
    """Words for a network that stopped learning, once it has had enough steps to learn something."""
    steps = len(epochs) * (setup.steps_per_epoch if setup else MIN_STEPS)
    if len(epochs) < 2 or steps < MIN_STEPS:
        return None
    last = epochs[-1]
    if last.loss >= 0.85 * CHANCE_LOSS:
        return _("The training loss is stuck at {loss:.2f}, near ln 10 = {chance:.2f}, the loss of guessing at "
                 "random: the network has stopped learning.").format(loss=last.loss, chance=CHANCE_LOSS)
    if last.accuracy < LOW_ACCURACY:
        return _("After {n} epochs the network gets only {share} of its training digits right, far below the "
                 "{sane} or more such a network reaches with a sane learning rate.").format(
            n=len(epochs), share=percent(last.accuracy, 0), sane=percent(0.95, 0))
    return None


def local_median(values: np.ndarray, half: int = 4) -> np.ndarray:
    """The median of each value and its `half` neighbours on each side (fewer at the ends): the level a spike stands
    out from. In one numpy call for the inside points: the reading runs at every tick of every training student's
    page, and a median per point in Python cost the page server ~30 ms a tick late in a 60-epoch run."""
    n, width = len(values), 2 * half + 1
    level = np.empty(n)
    if n >= width:
        level[half:n - half] = np.median(np.lib.stride_tricks.sliding_window_view(values, width), axis=1)
    for i in (range(n) if n < width else [*range(half), *range(n - half, n)]):
        level[i] = np.median(values[max(0, i - half):i + half + 1])
    return level


def _unsteady(epochs: Sequence[EpochStats], batches: Sequence[BatchPoint]) -> str | None:
    """Words for curves that go up and down the way a too-large step makes them, or None."""
    train = [e.loss for e in epochs]
    for i in range(1, len(train)):
        before = min(train[:i])
        if train[i] > RISE * before + 0.05:
            j = train.index(before)
            return _("The training loss went up from epoch {a} ({before:.3f}) to epoch {b} ({after:.3f}).").format(
                a=epochs[j].epoch, before=before, b=epochs[i].epoch, after=train[i])
    test = [e.test_loss for e in epochs]
    for i in range(1, len(test) - 1):
        if min(test[i] - test[i - 1], test[i] - test[i + 1]) > JUMP * test[i - 1]:
            return _("The test loss jumps up and down (epoch {epoch}: {loss:.2f}, between {before:.2f} and "
                     "{after:.2f}).").format(epoch=epochs[i].epoch, loss=test[i], before=test[i - 1], after=test[i + 1])
    accuracy = [e.test_accuracy for e in epochs]
    for i in range(1, len(accuracy)):
        if accuracy[i - 1] - accuracy[i] > DROP:
            return _("The test accuracy fell from {before} to {after} in epoch {epoch}.").format(
                before=percent(accuracy[i - 1], 1), after=percent(accuracy[i], 1), epoch=epochs[i].epoch)
    late = np.array([p.loss for p in batches if p.x > 1])
    if len(late) >= 8:
        trend = local_median(late)
        ratio = float(np.max((late - trend) / (trend + 0.2)))
        if ratio > SPIKE:
            return _("The training curve has big spikes (up to {n:.0f} times the level around them).").format(
                n=ratio + 1)
    return None


def _overshot(first: float, spike: float) -> str:
    """Words for a first epoch whose steps overshot: its loss, or a point of it, above what guessing costs."""
    if first > OVERSHOOT * CHANCE_LOSS:
        return _("The first epoch's loss, {first:.1f}, is above {chance:.2f}, what guessing at random costs: the "
                 "first steps overshot.").format(first=first, chance=CHANCE_LOSS)
    return _("In the first epoch the training loss spiked to {spike:.1f}, far above {chance:.2f}, what guessing at "
             "random costs: the steps overshot.").format(spike=spike, chance=CHANCE_LOSS)


def _rate_problem(epochs: Sequence[EpochStats], batches: Sequence[BatchPoint],
                  setup: Setup | None) -> tuple[str | None, str | None]:
    """(a too-high-rate message, a not-learning message); at most one of them is given."""
    stalled, unsteady = _stalled(epochs, setup), _unsteady(epochs, batches)
    first = epochs[0].loss
    spike = max((p.loss for p in batches if EARLY_POINTS < p.x <= 1), default=0.0)
    # weights drawn too wide (σ = 1) start far above guessing: a high first epoch is then where it started, no step
    started_high = bool(batches) and batches[0].loss > FIRST_SPIKE * CHANCE_LOSS
    overshot = not started_high and (first > OVERSHOOT * CHANCE_LOSS or spike > FIRST_SPIKE * CHANCE_LOSS)
    settled = setup is not None and setup.lr_decay < 1 and not (stalled or unsteady)
    if settled:
        return None, None  # a decaying rate that started too high and has since settled: nothing to fix
    evidence = stalled or unsteady or (_overshot(first, spike) if overshot else None)
    if evidence is None:
        return None, None
    if setup is None:
        return _("{evidence} The learning rate is probably too high: try a smaller one, or one that decreases by "
                 "itself (learning-rate decay).").format(evidence=evidence), None
    if not (setup.high or overshot or stalled):
        return None, None  # curves that wobble at a sane rate (batch noise, batch norm's statistics): no rate to blame
    if setup.high or overshot:
        smaller = setup.learning_rate / 10
        return _("{evidence} The learning rate {rate:g} is too high for {optimizer}: try a smaller one "
                 "({smaller:g}), or let it decrease by itself (learning-rate decay 0.9 or 0.7 per epoch).").format(
            evidence=evidence, rate=setup.learning_rate, optimizer=setup.optimizer, smaller=smaller), None
    squashing = [a for a in setup.activations if a in ("sigmoid", "tanh")]
    if len(squashing) >= DEEP_SQUASHING:
        hint = _("With {n} {kinds} layers the gradient fades on its way back through them (vanishing gradients): "
                 "try relu, which keeps it alive, or the experiment “Heroes of deep learning”, which adds the fixes one at "
                 "a time.").format(n=len(squashing), kinds="/".join(sorted(set(squashing))))
    elif setup.tiny:
        hint = _("The learning rate {rate:g} is very small for {optimizer}: try a larger one.").format(
            rate=setup.learning_rate, optimizer=setup.optimizer)
    else:
        hint = _("The learning rate {rate:g} is not high for {optimizer}: try relu, another optimizer or more "
                 "epochs.").format(rate=setup.learning_rate, optimizer=setup.optimizer)
    return None, _("{evidence} {hint}").format(evidence=evidence, hint=hint)  # (Chinese puts no space after 。)
