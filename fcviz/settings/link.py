"""Everything a link can carry: the network, the training settings, the data and the classroom view.

Reading and writing a link are driven by the field table (`fcviz.settings.fields`): `Settings.from_link`
never fails (it keeps what is valid, moves out-of-range numbers to the nearest valid value, falls
back to the default for the rest, and says in words what it changed); `Settings.from_query` is the
same reading, strict: it raises SpecError where `from_link` would have written a note.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

from fcviz.settings import fields
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig

VIEW_KEYS = ("classroom", "hide", "lang")  # how settings are seen, not what they are (`Settings.viewed_as`)


def sets_something(query: Mapping[str, str]) -> bool:
    """Whether a link names a network, a training or a data set (more than a view: classroom, hidden controls,
    language)."""
    return any(key in fields.BY_KEY and key not in VIEW_KEYS for key in query)


@dataclass(frozen=True)
class Settings:
    """Everything a link carries, validated as one: what a session restores from its URL and a saved run keeps."""

    network: NetworkSpec = field(default_factory=NetworkSpec)
    training: TrainConfig = field(default_factory=TrainConfig)
    data: str = fields.field("data").default
    classroom: bool = fields.field("classroom").default
    hide: tuple[str, ...] = fields.field("hide").default
    lang: str = fields.field("lang").default

    def viewed_as(self, other: "Settings") -> "Settings":
        """These settings seen the way `other` is (its classroom view, hidden controls and language): an
        experiment or a saved run loads its network and training, never another view."""
        return replace(self, classroom=other.classroom, hide=other.hide, lang=other.lang)

    def __post_init__(self) -> None:
        fields.validate(self, "settings")

    def values(self) -> dict[str, object]:
        """Every field's value by link key (per-layer fields as lists)."""
        return {**self.network.values(), **fields.values_of(self.training, "training"),
                **fields.values_of(self, "settings")}

    def value(self, f: fields.Field) -> object:
        """The value of field `f` as a link holds it (a list, one per hidden layer, for a per-layer field)."""
        return self.values()[f.key]

    def to_query(self) -> dict[str, str]:
        """The link for these settings: every field written by the field table, as `from_link` reads it back."""
        return fields.write_query(self.values())

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> "Settings":
        """The settings from values by link key (what `fields.read_query` gives); SpecError for an invalid one."""
        return cls(network=NetworkSpec.from_values(values), training=TrainConfig(**fields.attrs_of(values, "training")),
                   **fields.attrs_of(values, "settings"))

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "Settings":
        """Strict: the settings `query` spells out, or SpecError for anything unknown or invalid."""
        return cls.from_values(fields.read_query(query, None))

    @classmethod
    def from_link(cls, query: Mapping[str, str]) -> tuple["Settings", list[str]]:
        """The nearest valid settings to `query`, and a sentence for each thing that had to change."""
        notes: list[str] = []
        return cls.from_values(fields.read_query(query, notes)), notes
