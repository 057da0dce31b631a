"""One small cache for what sessions share: at most a few entries, the least recently used dropped first,
safe to use from every session's thread at once. Uploads, data sets resident in a worker, the cluster's
copies of uploads and the board's handwriting scores all keep their last few this way."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, Iterator, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_MISSING = object()


class Bounded(Generic[K, V]):
    """At most `size` entries; reading one makes it the most recently used."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, default: V | None = None) -> V | None:
        """The entry for `key` (now the most recently used), or `default`."""
        with self._lock:
            if key not in self._items:
                return default
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: K, value: V) -> None:
        """Keep `value` for `key`, dropping the least recently used beyond `size`."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def drop(self, key: K) -> None:
        """Forget `key`'s entry, if there is one."""
        with self._lock:
            self._items.pop(key, None)

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The entry for `key`, made by `make()` (outside the lock: a slow one blocks nobody) when missing."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = make()
            self.put(key, value)
        return value

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items

    def __iter__(self) -> Iterator[K]:
        """The keys held now, least recently used first (a copy: safe while others write)."""
        with self._lock:
            return iter(list(self._items))

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
