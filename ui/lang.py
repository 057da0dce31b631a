"""The session's language: the link's `lang=`, else the browser's preferred language; a switch in the
sidebar (`ui.share`). `fcviz.i18n` translates through `session_language`, so every string a page shows follows it."""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from fcviz import i18n
from ui import keys


def session_language() -> str | None:
    """The language of the session whose script runs in this thread (None outside a script run)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or keys.SETTINGS not in ctx.session_state:
        return None
    return ctx.session_state[keys.SETTINGS].lang


def relabel(key: str) -> None:
    """Called before drawing a widget whose options are labelled in the session's language: after a language switch
    its value is sent again, so the chosen option shows in the new language. (Streamlit's frontend keeps the text it
    showed for the chosen option while the widget's key stays: the Dataset box read "MNIST sample (bundled)" on a page
    switched to 中文, until the next page.) Not for a widget given a default as an argument: Streamlit warns when
    its value is also set here."""
    drawn = st.session_state.setdefault(keys.LABELLED_IN, {})
    lang = session_language()
    if key in st.session_state and drawn.get(key, lang) != lang:
        st.session_state[key] = st.session_state[key]
    drawn[key] = lang


def browser_language() -> str | None:
    """What the browser prefers, of the languages we have (its locale, else its Accept-Language header)."""
    locale = st.context.locale if isinstance(st.context.locale, str) else None
    headers = st.context.headers if st.context.headers is not None else {}
    return i18n.preferred(locale) or i18n.preferred(headers.get("Accept-Language"))


i18n.resolver = session_language
