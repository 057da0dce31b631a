"""The real Fashion-MNIST from Debian's `dataset-fashion-mnist` (60,000/10,000), offered to the app as a
data-folder set, for the benchmarks' large case."""
from __future__ import annotations

import tempfile
from pathlib import Path

from fcviz.data.loading import DEBIAN_FASHION as DEBIAN
from fcviz.data.loading import IDX_FILES
from fcviz.data.sources import in_folder

NAME = "fashion-mnist"
SOURCE = in_folder(NAME)


def data_folder() -> Path | None:
    """A new data folder whose set `NAME` links Debian's four IDX files (None without the package):
    pass it as FCVIZ_DATA_DIR, before any engine starts (its workers inherit the environment)."""
    if not all((DEBIAN / name).exists() for name in IDX_FILES.values()):
        return None
    folder = Path(tempfile.mkdtemp(prefix="fcviz-data-"))
    (folder / NAME).mkdir()
    for name in IDX_FILES.values():
        (folder / NAME / name).symlink_to(DEBIAN / name)
    return folder


MISSING = f"Fashion-MNIST not found under {DEBIAN}: `make fashion-mnist` (apt-get install dataset-fashion-mnist)"
