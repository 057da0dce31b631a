"""The class store: runs that outlive a session or a server, classes, the class's own handwriting and each
device's own digits, in one database (`fcviz.store.database`). Each kind of record has a module of its own;
`Store` is all of them on one connection pool, which is what the app opens once per process."""
from __future__ import annotations

from fcviz.store.drawings import DrawingRecords
from fcviz.store.my_digits import MyDigitRecords
from fcviz.store.runs import RunRecords


class Store(RunRecords, DrawingRecords, MyDigitRecords):
    """Every record the app keeps, on one database: see the base classes for what each holds."""
