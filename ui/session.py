"""What a session carries from page to page: its settings (kept in step with the URL, so a link
restores them), the last drawing, and news for the next run.

Widget state is dropped by Streamlit when the page owning the widget is not shown, so the
settings live under their own key and widgets are re-seeded from them (`ui/widgets.py`).
"""
from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import Callable, NoReturn, TypeVar
from urllib.parse import parse_qsl

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from fcviz.i18n import _
from fcviz.settings import fields
from fcviz.settings.link import Settings
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig
from ui import keys
from ui.lang import browser_language
from ui.store import LANG_COOKIE, PROJECTOR_COOKIE, SETTING_KEYS, SETTINGS_COOKIE, cookie, remember
from ui.text import plain

T = TypeVar("T")

LANG = fields.field("lang")
CLASSROOM = fields.field("classroom")


def get_settings() -> Settings:
    """The session's settings; on first visit, the nearest valid ones to the URL's."""
    if keys.SETTINGS not in st.session_state:
        query = st.query_params.to_dict()
        if SETTING_KEYS.isdisjoint(query):  # a typed address, a bookmark: the settings this browser used last
            query |= _kept_settings()
        settings, notes = Settings.from_link(query)
        if LANG.key not in query:  # the link says nothing: the language this browser chose last, else its preferred
            kept = cookie(LANG_COOKIE)
            settings = replace(settings, lang=kept if kept in LANG.choices else browser_language() or settings.lang)
        else:  # a link's language is the one read now: a reload keeps it (the address drops a default `lang=en`,
            remember(LANG_COOKIE, settings.lang)  # and the browser's earlier 中文 came back)
        if CLASSROOM.key not in query:  # nor of a projector: as this browser's switch was left
            settings = replace(settings, classroom=cookie(PROJECTOR_COOKIE) == "1")
        st.session_state[keys.SETTINGS] = settings  # first: the note below is in the session's language
        if notes:
            notice(Tone.WARNING, _("Parts of this link could not be used, so the nearest valid setting is shown:")
                   + "\n\n" + "\n".join(f"- {plain(_(n))}" for n in notes))
    return st.session_state[keys.SETTINGS]


def set_settings(settings: Settings) -> None:
    """Make `settings` the session's, and the address bar's; widgets keep what they show (`apply_settings` re-seeds)."""
    if settings != get_settings():
        st.session_state[keys.SETTINGS] = settings
        sync_url()


def _kept_settings() -> dict[str, str]:
    """The settings this browser kept (its last address's, `ui.store.write_cookies`), or none if any part of them is
    not valid now (a cookie is the browser's to change, and a server update may drop a choice): never a warning about
    a link nobody opened."""
    kept = {k: v for k, v in parse_qsl(cookie(SETTINGS_COOKIE)) if k in SETTING_KEYS}
    return kept if not Settings.from_link(kept)[1] else {}


def sync_url() -> None:
    """Write the settings into the URL (only when it differs, so reruns stay cheap)."""
    wanted = get_settings().to_query()
    token = getattr(st.session_state.get(keys.RUN), "token", None)
    if token:  # the run on show is saved: a reload opens it again
        wanted[fields.RUN_KEY] = token
        st.session_state[keys.RUN_OPENED] = token  # this session's own run: never "opened" from the link again
    joined, linked = st.session_state.get(keys.CLASS), st.session_state.get(keys.CLASS_LINKED)
    if joined or linked:  # a reload stays in the class, or still offers the class its link named (not joined yet)
        wanted[fields.CLASS_KEY] = joined[0] if joined else linked
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def get_spec() -> NetworkSpec:
    """The session's network: what Build edits and every other page trains, draws with or explains."""
    return get_settings().network


def set_spec(spec: NetworkSpec) -> None:
    """Make `spec` the session's network (the Build page's controls, a loaded model)."""
    set_settings(replace(get_settings(), network=spec))


def set_training(config: TrainConfig, data: str) -> None:
    """Keep the Train page's settings and data choice in the session (and so in its link)."""
    set_settings(replace(get_settings(), training=config, data=data))


def shown(f: fields.Field) -> bool:
    """False for a control the classroom link hides."""
    return (f.hidden_with or f.key) not in get_settings().hide


def apply_settings(settings: Settings) -> NoReturn:
    """Switch the session to `settings` and re-seed every page's widgets from them.

    Never returns: it reruns the script (`st.rerun()` raises), so the page is drawn again with the new settings.
    """
    set_settings(settings)
    for f in (*fields.FIELDS, fields.HIDDEN_LAYERS):
        if f.widget is not None:
            layer_keys = [f.widget_key(i) for i in range(fields.HIDDEN_LAYERS.high)] if f.per_layer else []
            for key in (f.widget_key(), *layer_keys):
                st.session_state.pop(key, None)
    st.rerun()


def apply_spec(spec: NetworkSpec) -> NoReturn:
    """Switch the session to network `spec` (a lecture network's button); reruns, like `apply_settings`."""
    apply_settings(replace(get_settings(), network=spec))


def remade(key: str, made_for: tuple, make: Callable[[], T]) -> T:
    """What `make()` gives, kept in the session under `key` and made again only when `made_for` (what it is made
    from) changed: the Train page's live part polls once a second, and most polls bring nothing new."""
    kept = st.session_state.get(key)
    if kept is None or kept[0] != made_for:
        kept = made_for, make()
        st.session_state[key] = kept
    return kept[1]


def remember_drawing(image: np.ndarray) -> None:
    """The last 28×28 digit drawn, for the Inside page."""
    st.session_state[keys.DRAWING] = image


def last_drawing() -> np.ndarray | None:
    """The last digit drawn on the Draw page (28×28), or None: the Inside page's input."""
    return st.session_state.get(keys.DRAWING)


class Tone(StrEnum):
    """How a notice is drawn: the name of Streamlit's element for it."""

    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


def notice(tone: Tone, message: str, icon: str | None = None) -> None:
    """A line for the top of the page, shown once, in the slot the frame draws on every run (`show_notices`).
    Drawn where it arose instead, a line that came and went moved everything below it, and Streamlit then drew
    the Draw page's canvas anew, empty: the student's stroke lost."""
    st.session_state.setdefault(keys.NOTICES, []).append((tone, message, icon))


def show_notices(slot: DeltaGenerator) -> None:
    """The notices kept for this run, in `slot`, once."""
    for tone, message, icon in st.session_state.pop(keys.NOTICES, []):
        getattr(slot, tone)(message, icon=icon)


def announce(message: str) -> None:
    """A toast for the next run: news that happens just before an `st.rerun()` would be lost otherwise."""
    st.session_state[keys.NEWS] = message


def show_news() -> None:
    """The news `announce` kept for this run, as a toast, once."""
    if message := st.session_state.pop(keys.NEWS, None):
        st.toast(message, icon=":material/check_circle:")
