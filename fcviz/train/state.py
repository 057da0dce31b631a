"""Where a training is: the one set of states the trainer, the job, the pages and the store share."""
from __future__ import annotations

from enum import StrEnum


class TrainingState(StrEnum):
    """A training's state. A `StrEnum`, so the store keeps it as its plain value ("finished") and a run
    read back from the store compares equal to it."""

    QUEUED = "queued"  # waiting for a training slot
    RUNNING = "running"
    FINISHED = "finished"  # every planned epoch done
    STOPPED = "stopped"  # Stop pressed, or the tab that started it closed
    DIVERGED = "diverged"  # the loss became NaN: the run keeps its last good weights
    FAILED = "failed"  # the engine could not train it (a lost worker, an unreachable cluster)

    @property
    def active(self) -> bool:
        """Still to end: the page keeps polling."""
        return self in (TrainingState.QUEUED, TrainingState.RUNNING)

    @property
    def went_wrong(self) -> bool:
        """Ended without new weights worth keeping: the message is an error."""
        return self in (TrainingState.FAILED, TrainingState.DIVERGED)

    @property
    def worth_saving(self) -> bool:
        """Ended with weights learned in it: the class store keeps the run."""
        return self in (TrainingState.FINISHED, TrainingState.STOPPED)
