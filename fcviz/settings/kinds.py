"""What kind of value a setting holds, and everything that depends on the kind, once per kind: what is
valid (`check`), how a link's text is read (`convert`), what stands in for unreadable text (`nearest`)
and how a value is written into a link (`write`). A field of the field table names its `Kind`; these
rules are all that differs between kinds (`ui/widgets.py` picks a control by kind the same way)."""
from __future__ import annotations

import math
from enum import StrEnum
from typing import Protocol

from fcviz.i18n import called, later

TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes"), ("0", "false", "no", "")


class SpecError(ValueError):
    """A setting that cannot be used; the message says what was expected and what was received."""


class Field(Protocol):
    """What the rules read of a field of the table (`fcviz.settings.fields.Field`)."""

    label: str
    low: float | None
    high: float | None
    choices: tuple

    @property
    def title(self) -> str:
        """How messages call it."""

    @property
    def fallback(self) -> object:
        """What stands in for an unreadable value."""

    @property
    def choice_words(self) -> str:
        """The valid choices, as a message lists them."""

    def is_named(self, value: object) -> bool:
        """Whether `value` is a set the server offers by name."""

    def check_keys(self, value: object) -> tuple[str, ...]:
        """The hideable keys `value` names (SpecError for others)."""


class Kind(StrEnum):
    """The kinds of value a setting holds."""

    INT = "int"
    FLOAT = "float"
    CHOICE = "choice"
    BOOL = "bool"
    KEYS = "keys"  # a list of hideable controls' keys

    @property
    def rules(self) -> "Rules":
        """What this kind accepts, reads and writes."""
        return RULES[self]


class Rules:
    """The rules of one kind; the defaults are those of text."""

    def check(self, f: "Field", value: object) -> object:
        """`value` if it is valid for `f` (normalised), else SpecError."""
        return value

    def convert(self, f: "Field", text: str) -> object:
        """A link's (stripped) text as a value of this kind, not yet checked; SpecError if it is none."""
        return text

    def nearest(self, f: "Field", text: str) -> tuple[object, str]:
        """The valid value nearest to unreadable `text`, and what was wrong with it (in words)."""
        return f.fallback, later("is not one of {choices}", choices=f.choice_words)

    def write(self, value: object) -> str:
        """A value as a link carries it."""
        return str(value)


class _Number(Rules):
    """Numbers within [low, high]; text outside is moved to the nearest bound."""

    def nearest(self, f: "Field", text: str) -> tuple[object, str]:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if math.isnan(value):
            return f.fallback, later("is not a number")
        clamped = min(max(value, f.low), f.high)  # before rounding: round(inf) would raise
        return self.rounded(clamped, value, later("is outside {low:g}–{high:g}", low=f.low, high=f.high))

    def rounded(self, clamped: float, value: float, outside: str) -> tuple[object, str]:
        """The clamped value in this kind, and the reason."""
        return float(clamped), outside


class _Int(_Number):
    def check(self, f: "Field", value: object) -> object:
        t = called(f.title, f.label)
        if isinstance(value, bool) or not isinstance(value, int):
            raise SpecError(later("{name} must be a whole number from {low:,} to {high:,}, got {value!r}", name=t,
                                  low=f.low, high=f.high, value=value))
        if not f.low <= value <= f.high:
            raise SpecError(later("{name} must be from {low:,} to {high:,}, got {value:,}", name=t, low=f.low,
                                  high=f.high, value=value))
        return value

    def convert(self, f: "Field", text: str) -> object:
        try:
            return int(text)
        except ValueError:
            raise SpecError(f"{f.title} must be a whole number, got {text!r}") from None

    def rounded(self, clamped: float, value: float, outside: str) -> tuple[object, str]:
        return int(round(clamped)), (outside if clamped != value else later("is not a whole number"))


class _Float(_Number):
    def check(self, f: "Field", value: object) -> object:
        t = called(f.title, f.label)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise SpecError(later("{name} must be a number from {low:g} to {high:g}, got {value!r}", name=t,
                                  low=f.low, high=f.high, value=value))
        if not f.low <= value <= f.high:
            raise SpecError(later("{name} must be from {low:g} to {high:g}, got {value}", name=t, low=f.low,
                                  high=f.high, value=value))
        return float(value)

    def convert(self, f: "Field", text: str) -> object:
        try:
            return float(text)
        except ValueError:
            raise SpecError(f"{f.title} must be a number, got {text!r}") from None

    def write(self, value: object) -> str:
        return repr(float(value))


class _Choice(Rules):
    def check(self, f: "Field", value: object) -> object:
        if value not in f.choices and not f.is_named(value):
            raise SpecError(later("{name} must be one of {choices}; got {value!r}", name=called(f.title, f.label),
                                  choices=f.choice_words, value=value))
        return f.choices[f.choices.index(value)] if value in f.choices else value  # "he" → the choice itself (Init.HE)


class _Bool(Rules):
    def check(self, f: "Field", value: object) -> object:
        if not isinstance(value, bool):
            raise SpecError(later("{name} must be True or False, got {value!r}", name=called(f.title, f.label),
                                  value=value))
        return value

    def convert(self, f: "Field", text: str) -> object:
        if text.lower() in TRUE_WORDS + FALSE_WORDS:
            return text.lower() in TRUE_WORDS
        raise SpecError(f"{f.title} must be 1 or 0, got {text!r}")

    def nearest(self, f: "Field", text: str) -> tuple[object, str]:
        return f.fallback, later("is not 1 or 0")

    def write(self, value: object) -> str:
        return "1" if value else "0"


class _Keys(Rules):
    def check(self, f: "Field", value: object) -> object:
        return f.check_keys(value)

    def write(self, value: object) -> str:
        return ",".join(value)


RULES: dict[Kind, Rules] = {Kind.INT: _Int(), Kind.FLOAT: _Float(), Kind.CHOICE: _Choice(), Kind.BOOL: _Bool(),
                            Kind.KEYS: _Keys()}
