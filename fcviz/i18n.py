"""The app's words in the reader's language: gettext catalogues made with Babel (`fcviz/locale`,
`make messages` extracts and updates them, the install step compiles them), English the source.

One server serves students in several languages at once, so the language is never installed
process-wide: `_()` asks `resolver` (set by the UI: the session's language) or, outside a page, a
context variable (`use`). Strings are marked with `_()` where they are shown, or with `N_()` where
they are declared (the field table) and translated by whoever shows them.
"""
from __future__ import annotations

import contextvars
import functools
import gettext
from pathlib import Path
from typing import Callable

from babel import Locale, numbers

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "fcviz"
SOURCE = "en"
LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}  # code -> the language's own name
BABEL_LOCALES = {"en": "en_US", "zh": "zh_Hans_CN"}
PSEUDO = "qps"  # tests: every translated string wrapped, so untranslated English stands out
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"

_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("fcviz_language", default=None)
resolver: Callable[[], str | None] | None = None  # the UI's: the current session's language


class Pseudo(gettext.NullTranslations):
    """The tests' pseudo-language (`PSEUDO`): every string that went through `_()` comes out in ⟦brackets⟧, so English
    left untranslated stands out."""

    def gettext(self, message: str) -> str:
        """`message` in brackets: it went through the catalogue."""
        return f"{PSEUDO_OPEN}{message}{PSEUDO_CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The English form for `n`, in brackets like `gettext`."""
        return self.gettext(singular if n == 1 else plural)


@functools.lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language` (English, or a missing catalogue: the source text)."""
    if language == PSEUDO:
        return Pseudo()
    if language == SOURCE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def use(language: str | None) -> None:
    """Outside a page (scripts, tests): the language of what this context translates."""
    _language.set(language)


def current() -> str:
    """The language to translate into here: this context's (`use`), else the session's (`resolver`), else English."""
    language = _language.get()
    if language is None and resolver is not None:
        language = resolver()
    return language or SOURCE


class Text(str):
    """A message made where no reader is known (a training's thread): it reads as its English, and `_()`
    translates it, values included, where it is shown."""

    def __new__(cls, message: str, english: str | None = None, **values: object) -> "Text":
        text = super().__new__(cls, message.format(**values) if english is None else english)
        text.message, text.values = message, values
        return text


def later(message: str, **values: object) -> Text:
    """`message` with `values`, to be translated where it is shown (extracted like `_`)."""
    return Text(message, **values)


def called(english: str, message: str) -> Text:
    """A name that reads `english` in English sentences and is `message`, translated, in others (a setting's
    lower-case name in English, its label elsewhere)."""
    return Text(message, english=english)


def _(message: str) -> str:
    if isinstance(message, Text):
        if current() == SOURCE:  # it was made in English, exactly as it reads
            return str.__str__(message)
        return _(message.message).format(**{k: _(v) if isinstance(v, Text) else v for k, v in message.values.items()})
    return translations(current()).gettext(message)


def reason(error: BaseException) -> str:
    """An exception's message in the reader's language (translated when it was made with `N_` or `later`)."""
    message = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
    return _(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """`singular` or `plural` for `n`, translated: the reader's language decides which form each count takes."""
    return translations(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks `message` for the catalogue where it is declared; it is translated where it is shown."""
    return message


def babel_locale() -> Locale:
    """Babel's locale for the reader's language: how `number` and `percent` group digits and write decimals."""
    return Locale.parse(BABEL_LOCALES.get(current(), BABEL_LOCALES[SOURCE]))


def number(value: float, digits: int = 0) -> str:
    """`value` with the locale's grouping and decimal signs: 401,920 · 0.25."""
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, format=fmt, locale=babel_locale())


def data_size(n_bytes: float) -> str:
    """A size as people read it: 820 KB, 1.6 MB, 12 MB (1 KB = 1,024 bytes, as the Memory metric counts)."""
    if n_bytes < 1024 ** 2:
        return f"{number(n_bytes / 1024)} KB"
    mb = n_bytes / 1024 ** 2
    return f"{number(mb, 1 if mb < 10 else 0)} MB"


def percent(share: float, digits: int = 1) -> str:
    """A share (0..1) as the locale writes a percentage: 92.3% (both languages here, the locale decides)."""
    fmt = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return numbers.format_percent(share, format=fmt, locale=babel_locale())


def preferred(accept: str | None) -> str | None:
    """The first of our languages a browser's preference names ("zh-CN,zh;q=0.9,en;q=0.8" → zh)."""
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0].split("_")[0]
        if code in LANGUAGES:
            return code
    return None
