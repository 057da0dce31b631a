"""The server's policy for trainings: at most `FCVIZ_MAX_TRAININGS` at once (default: one per worker of
the embedded cluster); the others wait in order and can see their place."""
from __future__ import annotations

import threading
from typing import Callable

from fcviz import environment
from fcviz.train.engine import embedded_workers


class TrainingSlots:
    """At most `limit` jobs hold a slot at once; the others wait in order."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._cond = threading.Condition()
        self._waiting: list[object] = []
        self._running: set[int] = set()

    def acquire(self, job: object, cancelled: Callable[[], bool]) -> bool:
        """Wait for a slot; False (and out of the queue) as soon as `cancelled()` says so."""
        with self._cond:
            self._waiting.append(job)
            while not (len(self._running) < self.limit and self._waiting[0] is job):
                if cancelled():
                    self._waiting.remove(job)
                    self._cond.notify_all()
                    return False
                self._cond.wait(0.1)
            self._waiting.pop(0)
            self._running.add(id(job))
            self._cond.notify_all()
            return True

    def release(self, job: object) -> None:
        """Give `job`'s slot to the next in line, however its training ended."""
        with self._cond:
            self._running.discard(id(job))
            self._cond.notify_all()

    def position(self, job: object) -> int:
        """1 for the next in line, 0 when not waiting."""
        with self._cond:
            return next((i + 1 for i, j in enumerate(self._waiting) if j is job), 0)

    @property
    def running(self) -> int:
        """How many jobs hold a slot now."""
        with self._cond:
            return len(self._running)


def trainings_at_once() -> int:
    """`FCVIZ_MAX_TRAININGS`, else one per worker of the embedded cluster."""
    return environment.whole_number(environment.MAX_TRAININGS) or embedded_workers()


SLOTS = TrainingSlots(trainings_at_once())
