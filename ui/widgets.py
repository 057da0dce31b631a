"""Controls drawn from the field table, and the lecture's network buttons."""
from __future__ import annotations

from typing import Callable, Sequence

import streamlit as st

from fcviz.i18n import _
from fcviz.lessons.presets import PRESETS
from fcviz.settings import fields
from fcviz.settings.kinds import Kind
from fcviz.settings.spec import NetworkSpec
from ui import keys
from ui.session import apply_spec, shown


def setting(f: fields.Field, value: object, *, layer: int | None = None, high: int | None = None,
            options: Sequence | None = None, show: Callable[[object], str] | None = None,
            disabled: bool = False) -> object:
    """Draw the control of field `f` and return what it shows.

    It starts at `value` (the session's setting, and so the link's); a control the classroom link
    hides is not drawn and `value` is returned. `high` caps a select slider (a smaller dataset);
    `options` (and `show`, their labels) replace a choice field's choices.
    """
    if not shown(f):
        return value
    key = f.widget_key(layer)
    if key not in st.session_state:
        st.session_state[key] = value
    common = dict(key=key, help=f.tip, disabled=disabled)
    if f.kind == Kind.CHOICE:
        choices = options or f.choices
        if st.session_state[key] not in choices:  # e.g. a data set the server no longer has
            st.session_state[key] = f.default
        st.selectbox(f.caption, choices, format_func=show or f.show, **common)
    elif f.kind == Kind.BOOL:
        st.toggle(f.caption, **common)
    elif f.kind == Kind.KEYS:
        st.multiselect(f.caption, fields.HIDEABLE, format_func=lambda k: f"{fields.field(k).caption} ({k})", **common)
    elif f.stops:
        stops = list(f.stops)
        if high is not None:
            stops = [s for s in stops if s < high] + [high]
            st.session_state[key] = min(st.session_state[key], high)
        # a link may carry a value between the stops: keep it as a stop of its own
        st.select_slider(f.caption, sorted({*stops, st.session_state[key]}), format_func=f.show, **common)
    else:
        st.slider(f.caption, f.low, f.high, step=f.step, **common)
    return st.session_state[key]


def preset_buttons(page: str, current: NetworkSpec) -> None:
    """One button per lecture network; the one in use is highlighted."""
    with st.container(horizontal=True):  # as wide as the labels, wrapping on a narrow screen
        for name, (label, preset) in PRESETS.items():
            if st.button(_(label), key=keys.preset(page, name), type="primary" if preset == current else "secondary"):
                apply_spec(preset)
