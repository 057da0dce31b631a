"""The class store: runs that outlive a session or a server, classes (and the devices that keep them), the
class's own handwriting and each device's own digits, in one database (`fcviz.store.database`). Each kind of
record has a module of its own; `Store` is all of them on one connection pool, which is what the app opens
once per process."""
from __future__ import annotations

from fcviz.store.class_owners import ClassOwnerRecords
from fcviz.store.drawings import DrawingRecords
from fcviz.store.my_digits import MyDigitRecords


class Store(ClassOwnerRecords, DrawingRecords, MyDigitRecords):
    """Every record the app keeps, on one database: see the base classes for what each holds."""
