"""Controls drawn from the field table, and the lecture's network buttons."""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from typing import Callable, Sequence

import streamlit as st

from fcviz.i18n import _
from fcviz.lessons.presets import PRESETS
from fcviz.settings import fields
from fcviz.settings.kinds import Kind
from fcviz.settings.spec import NetworkSpec
from ui import keys
from ui.clicks import pressed
from ui.lang import relabel
from ui.session import apply_spec, get_settings, shown


def setting(f: fields.Field, value: object, *, layer: int | None = None, high: int | None = None,
            options: Sequence | None = None, show: Callable[[object], str] | None = None,
            disabled: bool = False) -> object:
    """Draw the control of field `f` and return what it shows.

    It starts at `value` (the session's setting, and so the link's); a control the classroom link
    hides is not drawn and `value` is returned. `high` caps a select slider (a smaller dataset);
    `options` (and `show`, their labels) replace a choice field's choices. A number field the table
    marks `typed` gets a box beside its slider, and its `sizes` one click each under it: all of them
    show the one value (the slider's), and a change in any shows in the others on the same rerun.
    """
    if not shown(f):
        return value
    key = f.widget_key(layer)
    if key not in st.session_state:
        st.session_state[key] = value
    relabel(key)
    common = dict(key=key, help=f.tip, disabled=disabled)
    if f.kind == Kind.CHOICE:
        choices = options or f.choices
        if st.session_state[key] not in choices:  # e.g. a data set the server no longer has
            st.session_state[key] = f.default
        st.selectbox(f.caption, choices, format_func=show or f.show, **common)
    elif f.kind == Kind.BOOL:
        st.toggle(f.caption, **common)
    elif f.kind == Kind.KEYS:
        st.multiselect(f.caption, fields.HIDEABLE, format_func=lambda k: f"{fields.field(k).caption} ({k})",
                       placeholder=_("Choose controls…"), **common)  # (Streamlit's own placeholder is English)
    else:
        _number(f, key, high, common)
    return st.session_state[key]


TYPED_WIDTH = 92  # pixels: 5 digits and the clear icon, beside the slider (no −/+ buttons at this width)
TYPED_WIDTH_BIG = 116  # the same in the classroom's big text (`ui.share.CLASSROOM_CSS`: a box's digits 1.05rem of 20px)


def _number(f: fields.Field, key: str, high: int | None, common: dict) -> None:
    """The slider of number field `f` (a select slider between its stops), with its typing box and sizes."""
    if high is not None:
        st.session_state[key] = min(st.session_state[key], high)
    value = st.session_state[key]
    typed, sizes = keys.typed(key), keys.sizes(key)
    if f.typed and st.session_state.get(typed) != value:  # the slider or a size moved: the box shows it
        st.session_state[typed] = value
    if f.sizes and st.session_state.get(sizes) != (value if value in f.sizes else None):
        st.session_state[sizes] = value if value in f.sizes else None
    # the slider and its typing box side by side (under it where the sidebar has no room for both)
    row = st.container(horizontal=True, vertical_alignment="bottom") if f.typed else None
    with row if row is not None else nullcontext():
        if f.stops:
            stops = list(f.stops)
            if high is not None:
                stops = [s for s in stops if s < high] + [high]
            # a link (or the box) may give a value between the stops: keep it as a stop of its own
            st.select_slider(f.caption, sorted({*stops, value}), format_func=f.show, **common)
        else:
            st.slider(f.caption, f.low, f.high, step=f.step, **common)
    if row is not None:  # the box refuses out-of-range numbers; an emptied one (None) gets the number back next run
        row.number_input(f.caption, f.low, f.high if high is None else high, None, f.step, key=typed,
                         on_change=_take, args=(key, typed), disabled=common["disabled"],
                         label_visibility="collapsed",
                         width=TYPED_WIDTH_BIG if get_settings().classroom else TYPED_WIDTH)
    if f.sizes:
        st.pills(f.caption, f.sizes, format_func=f.show, key=sizes, on_change=_take, args=(key, sizes),
                 disabled=common["disabled"], label_visibility="collapsed")


def _take(key: str, source: str) -> None:
    """Callback: control `source` was changed, so the setting (its slider's `key`) is its value; an emptied box or
    a size clicked off keeps the setting (the next run shows it there again)."""
    if (value := st.session_state.get(source)) is not None:
        st.session_state[key] = value


def preset_buttons(page: str, current: NetworkSpec) -> None:
    """One button per lecture network; the one in use is highlighted. A lecture network keeps the initialisation
    chosen (it is how the weights start, not the network's shape)."""
    with st.container(horizontal=True):  # as wide as the labels, wrapping on a narrow screen
        for name, (label, preset) in PRESETS.items():
            preset = replace(preset, init=current.init)
            if pressed(_(label), key=keys.preset(page, name), type="primary" if preset == current else "secondary"):
                apply_spec(preset)
