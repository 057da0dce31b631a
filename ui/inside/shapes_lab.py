"""The Inside page's shapes lab: the notes' tensor operations (`fcviz.lessons.shapes`) on two shapes a student
types or picks, and the naive Python loops timed against numpy on this server."""
from __future__ import annotations

import html
import inspect

import numpy as np
import streamlit as st

from fcviz.i18n import _, number, reason
from fcviz.lessons import shapes
from fcviz.plots.style import BLUE, GREEN, ORANGE, VERMILION
from ui import keys
from ui.clicks import pressed
from ui.folds import folded

# the notes' own examples (Chollet 2.3) and the Dense layer's two operations: (label, a, b)
PRESETS = (("(2, 3) · (3, 5)", "(2, 3)", "(3, 5)"), ("(2, 3, 4) · (5, 4, 6)", "(2, 3, 4)", "(5, 4, 6)"),
           ("(64, 3, 32, 10) + (32, 10)", "(64, 3, 32, 10)", "(32, 10)"),
           ("X @ W: (128, 784) · (784, 512)", "(128, 784)", "(784, 512)"),
           ("+ b: (128, 512) + (512,)", "(128, 512)", "(512,)"), ("(2, 3) + (4,)", "(2, 3)", "(4,)"),
           ("(2, 1, 3) + (4, 1)", "(2, 1, 3)", "(4, 1)"))
COLOURS = {"same": GREEN, "summed": ORANGE, "stretched": BLUE, "mismatch": VERMILION}
CODE = {"+": "a + b", "*": "a * b", "dot": "np.dot(a, b)"}


def _pick_preset() -> None:
    label = st.session_state.get(keys.SHAPES_PRESET)
    for name, a, b in PRESETS:
        if name == label:
            st.session_state[keys.SHAPES_A], st.session_state[keys.SHAPES_B] = a, b


def _shape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def _cell(value: int | None, role: str) -> str:
    colour = COLOURS.get(role)
    style = f"background:{colour}22;border:2px solid {colour};" if colour else "border:1px dashed #bbb;"
    text = "—" if value is None else str(value)
    return f"<td style='{style}text-align:center;min-width:3.2em;padding:2px 6px;font-family:monospace'>{text}</td>"


def _axes_table(outcome: shapes.Outcome) -> str:
    """a's and b's axes in columns as numpy lines them up, coloured by what happens to each."""
    legend = {"same": _("same size"), "stretched": _("stretched (1 or missing → repeated)"),
              "mismatch": _("does not fit"), "summed": _("multiplied and summed away")}
    rows = []
    for name, side in (("a", "a"), ("b", "b")):
        cells = "".join(_cell(getattr(x, side), x.role if getattr(x, side) is not None else "") for x in outcome.axes)
        rows.append(f"<tr><th style='padding-right:8px;font-family:monospace'>{name}</th>{cells}</tr>")
    if outcome.shape is not None:  # the result's axes under the columns they come from
        def size(x: shapes.Axis) -> str:
            if x.role == "summed":
                return "<td style='text-align:center;color:#888'>Σ</td>"
            return _cell(max(v for v in (x.a, x.b) if v is not None), "")  # a stretched 1 or gap takes the other
        rows.append(f"<tr><th style='padding-right:8px'>→</th>{''.join(size(x) for x in outcome.axes)}</tr>")
    used = sorted({x.role for x in outcome.axes} & set(legend), key=list(legend).index)
    keys_html = " ".join(f"<span style='border:2px solid {COLOURS[r]};background:{COLOURS[r]}22;padding:0 6px'>"
                         f"{html.escape(legend[r])}</span>" for r in used)
    return (f"<table data-testid='fcviz-axes' style='border-collapse:separate;border-spacing:3px;margin:0'>"
            f"{''.join(rows)}</table><div style='font-size:0.85rem;margin:2px 0 6px'>{keys_html}</div>")


def _show(outcome: shapes.Outcome, a: np.ndarray | None, b: np.ndarray | None) -> None:
    code = CODE[outcome.operation]
    if outcome.error:
        st.markdown(f"**`{code}`** → " + _("numpy refuses:"))
        st.code(f"ValueError: {outcome.error}", language=None, wrap_lines=True)
    else:
        st.markdown(f"**`{code}`** → " + _("shape **`{shape}`**").format(shape=_shape(outcome.shape)))
    st.html(_axes_table(outcome))  # markup, not prose: no markdown pass over its style attributes
    if outcome.result is not None and a is not None:
        st.code(f"{code} =\n{np.array2string(outcome.result, max_line_width=60)}", language=None)


def shapes_lab() -> None:
    """Two shapes, typed or picked from the notes, and what `+`, `*` and `np.dot` make of them, axis by axis."""
    st.header(_("Tensor operations: a shapes lab"))
    st.markdown(_(
        "The notes' three operations on any two shapes. **Element-wise** `+` and `*` work number by number; "
        "when the shapes differ, numpy **broadcasts**: it lines the axes up from the right, and an axis of size 1 "
        "(or a missing one) is repeated to fit. **`np.dot`** multiplies a's last axis with b's second-to-last "
        "and sums it away, so `(2, 3)·(3, 5)` → `(2, 5)` and `(2, 3, 4)·(5, 4, 6)` → `(2, 3, 5, 6)`."))
    st.session_state.setdefault(keys.SHAPES_A, PRESETS[0][1])
    st.session_state.setdefault(keys.SHAPES_B, PRESETS[0][2])
    st.pills(_("From the notes"), [name for name, _a, _b in PRESETS], key=keys.SHAPES_PRESET, on_change=_pick_preset)
    with st.container(horizontal=True):
        a_text = st.text_input(_("Shape of a"), key=keys.SHAPES_A, max_chars=60, width=220)
        b_text = st.text_input(_("Shape of b"), key=keys.SHAPES_B, max_chars=60, width=220)
    try:
        a_shape, b_shape = shapes.parse_shape(a_text), shapes.parse_shape(b_text)
    except shapes.ShapeError as e:
        st.error(reason(e))
        return
    small = shapes.examples(a_shape, b_shape)
    a, b = small if small else (None, None)
    if small:
        with st.container(horizontal=True, gap="large"):
            st.code(f"a =\n{np.array2string(a, max_line_width=50)}", language=None, width="content")
            st.code(f"b =\n{np.array2string(b, max_line_width=50)}", language=None, width="content")
    else:
        st.caption(_("Arrays this big are not printed: only their shapes are worked out (numpy checks them "
                     "without making the arrays)."))
    columns = st.columns(3)
    for column, operation in zip(columns, shapes.OPERATIONS):
        with column:
            _show(shapes.outcome(operation, a_shape, b_shape), a, b)


def naive_loops() -> None:
    """The notes' naive Python loops (relu, add, dot), and a button that times them against numpy here."""
    st.subheader(_("Naive Python loops against numpy"))
    st.markdown(_("The notes write `relu`, `+` and the matrix product as Python loops over every element. numpy "
                  "does the same arithmetic in compiled code. Time both here, on this server, on random n×n "
                  "matrices: the ratio is what matters, the seconds depend on the machine and on how busy it is."))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        side = st.segmented_control(_("Matrices of n×n, n ="), shapes.TIMED_SIDES, default=shapes.TIMED_SIDES[1], key=keys.SHAPES_SIDE)
        if pressed(_("Time them"), icon=":material/timer:", key=keys.SHAPES_TIME) and side:
            st.session_state[keys.SHAPES_TIMING] = (side, shapes.time_naive(int(side)))
    timed = st.session_state.get(keys.SHAPES_TIMING)
    if timed:
        side, timings = timed
        ops = {"relu": ("naive_relu(x)", "np.maximum(x, 0)"), "add": ("naive_add(x, y)", "x + y"),
               "dot": ("naive_matrix_dot(x, y)", "np.dot(x, y)")}
        rows = [{_("loops"): ops[t.name][0], _("loops: seconds"): f"{t.naive_seconds:.2e}", _("numpy"): ops[t.name][1],
                 _("numpy: seconds"): f"{t.numpy_seconds:.2e}", _("numpy is faster by"): "×" + number(t.ratio),
                 _("same numbers"): "✓" if t.same else "✗"} for t in timings]
        st.markdown(_("On {n}×{n} matrices:").format(n=side))
        st.dataframe(rows, hide_index=True)
    with folded(_("The loops, as the notes write them (this is the code that was timed)"), keys.LOOPS_OPEN):
        st.code("\n\n".join(inspect.getsource(f) for f in (shapes.naive_relu, shapes.naive_add,
                                                             shapes.naive_vector_dot, shapes.naive_matrix_dot)),
                language="python")
