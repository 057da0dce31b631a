"""The curve reading on real runs (tests/data/histories.json, recorded by scripts/record_histories.py):
what a teacher would say about each run, at its end and at every epoch while it trains."""
import json
from pathlib import Path

import pytest

from fcviz.settings.link import Settings
from fcviz.train.diagnosis import diagnose
from fcviz.train.history import BatchPoint, EpochStats

RECORDED = json.loads((Path(__file__).parent / "data" / "histories.json").read_text())["runs"]


def reading(run: dict, upto: int | None = None):
    settings = Settings.from_query(run["query"])
    epochs = [EpochStats(**e) for e in run["epochs"]][:upto]
    batches = [BatchPoint(*b) for b in run["batches"] if upto is None or b[0] <= upto]
    t, spec = settings.training, settings.network
    from fcviz.train.diagnosis import Setup

    setup = Setup(t.optimizer, t.learning_rate, t.lr_decay, -(-t.train_size // t.batch_size),
                  tuple(h.activation for h in spec.hidden))
    return diagnose(epochs, batches, setup)


def test_the_recordings_cover_every_reading():
    assert {r["expect"] for r in RECORDED} == {"healthy", "overfitting", "too high", "not learning"}
    assert all(r["state"] == "finished" and r["epochs"] for r in RECORDED)


@pytest.mark.parametrize("run", RECORDED, ids=[r["name"][:40] for r in RECORDED])
def test_reading_at_the_end_of_a_real_run(run):
    d = reading(run)
    words = " ".join(d.messages)
    if run["expect"] == "too high":
        assert d.unstable and "is too high for" in words, words
    else:
        assert not d.unstable and "too high" not in words, words
    if run["expect"] == "not learning":
        assert d.not_learning and "vanishing gradients" in words and "relu" in words
    else:
        assert not d.not_learning, words
    if run["expect"] == "overfitting":
        assert d.overfitting_since is not None


@pytest.mark.parametrize("run", [r for r in RECORDED if r["expect"] in ("healthy", "overfitting")],
                         ids=lambda r: r["name"][:40])
def test_no_false_alarm_at_any_epoch_while_it_trains(run):
    for upto in range(1, len(run["epochs"]) + 1):
        d = reading(run, upto)
        assert not d.unstable and not d.not_learning, (upto, d.messages)
