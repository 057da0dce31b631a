"""Where a data set comes from, named once: the data sources a link, the sidebar, a training worker,
fine-tuning and the exported script all speak of.

A source is a short string, because links carry it (`data=sample`, `data=folder:fashion-mnist`): the
built-in sets by name (`SOURCES`), a set of the server's data folder as `FOLDER` + its name, and two
that no link can carry: a student's upload (`UPLOAD`, `upload:DIGEST` once read) and a set made in
memory (`MEMORY`, e.g. a fine-tune's). How each built-in set is loaded is `fcviz.data.loading.LOADERS`.
"""
from __future__ import annotations

from dataclasses import dataclass

from fcviz.i18n import N_

SAMPLE = "sample"  # the bundled 5,000 real MNIST digits: always there, offline
MNIST = "mnist"  # the full MNIST, through Keras' downloader
FASHION = "fashion"  # Fashion-MNIST: Debian's files, else Keras' downloader
FOLDER = "folder:"  # "folder:NAME": the set NAME of the server's data folder, offered by name
UPLOAD = "upload"  # the choice "upload", and "upload:DIGEST" for the set read from this session's files
MEMORY = "memory:"  # "memory:TOKEN": made in a process's memory (tests, fine-tuning); its arrays must travel


@dataclass(frozen=True)
class Source:
    """A built-in data set: its name in links, its label in the data choice, and whether its classes are
    clothes (Fashion-MNIST) rather than digits."""

    name: str
    label: str
    clothes: bool = False


SOURCES: tuple[Source, ...] = (
    Source(SAMPLE, N_("MNIST sample (bundled)")),
    Source(MNIST, N_("Full MNIST (11 MB download)")),
    Source(FASHION, N_("Fashion-MNIST (clothes)"), clothes=True),
)
NAMES: tuple[str, ...] = tuple(s.name for s in SOURCES)
DEFAULT = SAMPLE


def in_folder(name: str) -> str:
    """The source of the data folder's set `name`."""
    return FOLDER + name


def folder_name(source: str) -> str | None:
    """The data-folder set a source names, or None when it names none."""
    return source.removeprefix(FOLDER) if source.startswith(FOLDER) else None


def travels_by_name(source: str) -> bool:
    """Any process can load it from its source alone; otherwise (an upload, a set made in memory) its arrays
    must be sent along."""
    return not source.startswith((UPLOAD, MEMORY))
