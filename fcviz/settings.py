"""Everything a link can carry: the network, the training settings, the data and the classroom view.

Reading and writing a link are driven by the field table (`fcviz.fields`): `Settings.from_link`
never fails (it keeps what is valid, moves out-of-range numbers to the nearest valid value, falls
back to the default for the rest, and says in words what it changed); `Settings.from_query` is the
same reading, strict: it raises SpecError where `from_link` would have written a note.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from fcviz import fields
from fcviz.fields import FIELDS, HIDEABLE, SpecError, short  # noqa: F401 (HIDEABLE re-exported)
from fcviz.spec import LayerSpec, NetworkSpec
from fcviz.train_config import TrainConfig

LINK_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS)
MAX_VALUE_CHARS = 4096  # 8 layers of "1024" take 40; longer values are not read at all


@dataclass(frozen=True)
class Settings:
    network: NetworkSpec = field(default_factory=NetworkSpec)
    training: TrainConfig = field(default_factory=TrainConfig)
    data: str = fields.field("data").default
    classroom: bool = fields.field("classroom").default
    hide: tuple[str, ...] = fields.field("hide").default

    def __post_init__(self) -> None:
        fields.validate(self, "settings")

    def value(self, f: fields.Field) -> object:
        """The value of field `f` in these settings (a list for per-layer fields)."""
        if f.per_layer:
            return [getattr(h, f.attr) for h in self.network.hidden]
        return getattr({"network": self.network, "training": self.training, "settings": self}[f.owner], f.attr)

    def to_query(self, owners: Sequence[str] = ("layer", "network", "training", "settings")) -> dict[str, str]:
        """The link's parameters (only those of the fields held by `owners`)."""
        query = {}
        for f in FIELDS:
            value = self.value(f) if f.owner in owners else None
            if f.owner in owners and not (f.quiet and value == f.default):
                query[f.key] = f.format(value)
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "Settings":
        """Strict: the settings `query` spells out, or SpecError for anything unknown or invalid."""
        return _read(query, None)

    @classmethod
    def from_link(cls, query: Mapping[str, str]) -> tuple["Settings", list[str]]:
        """The nearest valid settings to `query`, and a sentence for each thing that had to change."""
        notes: list[str] = []
        return _read(query, notes), notes


def _read(query: Mapping[str, str], notes: list[str] | None) -> Settings:
    """One reading for both: strict when `notes` is None, lenient (and noting) otherwise."""
    unknown = [key for key in query if key not in LINK_KEYS]  # a hostile link may carry a million keys
    if unknown:
        more = f" and {len(unknown) - 10:,} more" if len(unknown) > 10 else ""
        listed = f"{', '.join(short(k) for k in sorted(unknown[:1000])[:10])}{more}"
        if notes is None:
            raise SpecError(f"unknown link parameters: {listed}")
        notes.append(f"Ignored unknown link parameters: {listed}.")
    values, layers = {}, None
    for f in FIELDS:
        text = query.get(f.key)
        if text is not None and len(text) > MAX_VALUE_CHARS:
            if notes is None:
                raise SpecError(f"{f.key} is {len(text):,} characters long; links carry at most {MAX_VALUE_CHARS:,}")
            notes.append(f"'{f.key}' is {len(text):,} characters long, more than a link carries "
                         f"({MAX_VALUE_CHARS:,}): using the default.")
            text = None
        values[f.key] = f.parse(text, notes, layers)
        if f.per_layer and layers is None:  # the first per-layer field says how many layers there are
            layers = len(values[f.key])

    def part(owner: str) -> dict[str, object]:
        return {f.attr: values[f.key] for f in fields.of(owner)}

    per_layer = part("layer")
    hidden = tuple(LayerSpec(**dict(zip(per_layer, items))) for items in zip(*per_layer.values()))
    return Settings(network=NetworkSpec(hidden=hidden, **part("network")), training=TrainConfig(**part("training")),
                    **part("settings"))
