"""A run as the class store keeps it, and back: what is saved when a run ends, and the run its link reopens."""
from __future__ import annotations

from dataclasses import asdict

import numpy as np

from fcviz.files.persist import load_model_bytes, run_to_bytes, saved_meta
from fcviz.net.reader import dense_weights, params_of
from fcviz.store import handwriting
from fcviz.store.runs import NewRun, SavedRun
from fcviz.train.history import BatchPoint, EpochStats
from fcviz.train.state import TrainingState
from fcviz.train.training import Evaluation, Run, number_in


def record_of(run: Run, query: dict[str, str], state: TrainingState) -> NewRun:
    """What the store keeps of `run`, which just ended in `state`; `query` is the settings' link."""
    ev = run.evaluation
    last = run.epochs[-1]
    return NewRun(label=run.label, network=run.spec.name, params=params_of(run.spec), data=run.dataset_name,
                  state=state, settings=dict(query), tuned_on=run.tuned_on, epochs=[asdict(e) for e in run.epochs],
                  batches=[b.row() for b in run.batches], train_accuracy=last.accuracy,
                  test_accuracy=ev.accuracy, test_loss=last.test_loss, confusion=ev.confusion.tolist(),
                  predictions=ev.predictions, model=run_to_bytes(run.model, run.config, run.epochs),
                  weights=handwriting.pack(dense_weights(run.model)))


def worth_saving(run: Run, state: TrainingState) -> bool:
    """Whether the store keeps `run` as it ended: a failed or diverged training leaves it as it was."""
    return state.worth_saving and bool(run.epochs) and run.evaluation is not None


def run_of(saved: SavedRun) -> Run:
    """The run a saved link reopens: its model, settings, curves and test results, as they were."""
    model = load_model_bytes(saved.model)
    config, _ = saved_meta(saved.model)
    run = Run.from_model(model, saved.summary.data, config, with_evaluation=False)
    run.loaded = False  # its history is all there is to it, as for a run trained in this session
    run.epochs = [EpochStats(**e) for e in saved.summary.epochs]
    run.batches = [BatchPoint.of_row(b) for b in saved.batches]  # rows saved before gradients were measured: none
    confusion = np.asarray(saved.confusion, np.int64)
    run.evaluation = Evaluation(saved.predictions, confusion, saved.summary.test_accuracy)
    run.token = saved.summary.token
    run.number = number_in(saved.summary.label)  # as My runs and the board call it
    run.tuned_on = saved.summary.tuned_on
    return run
