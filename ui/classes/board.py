"""The Class page's board, for the projector: every run of the class, live (numbers, a scatter of accuracy
against size, every run's curves and a table), the class's drawings to moderate, and one run in full."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from fcviz.data.mnist import classes_of
from fcviz.i18n import _, ngettext, number, percent, reason
from fcviz.plots.charts import board_figure, class_curves_figure, compare_figure, confusion_figure
from fcviz.plots.style import STATIC
from fcviz.store.board import board_csv, board_table, column
from fcviz.store.database import NotAllowed, StoreUnavailable
from fcviz.store.labels import settings_of
from fcviz.store.store import Store
from fcviz.train.history import EpochStats
from ui import keys
from ui.chart import chart, gallery
from ui.clicks import pressed
from ui.folds import folded
from ui.saved import private_link
from ui.session import get_settings
from ui.text import plain

BOARD_SECONDS = 5  # the board polls the database this often while it is shown
CURVES_SHOWN = 150  # newest runs overlaid (every run stays in the table and the scatter)


def teachers_board(s: Store, code: str, key: str) -> None:
    """Everything below the links: the live board, the class's drawings, and a run picked to see in full."""
    try:
        runs = s.board(code, key)[1]
    except (NotAllowed, StoreUnavailable) as e:
        st.error(reason(e))
        st.stop()
    names = st.toggle(_("Show nicknames"), key=keys.BOARD_NAMES, help=_("Hidden by default: the board is projected."))
    _board(s, code, key, _board_state(s, code, runs), names)
    _handwriting_set(s, code, key)
    if runs:
        labels = dict(zip((r.token for r in runs), _student_labels(runs, names)))
        pick = st.selectbox(_("A run in full"), list(labels), format_func=labels.get, index=None,
                            placeholder=_("Choose a run…"), key=keys.BOARD_PICK)
        if pick is not None:
            _run_detail(s, code, key, next(r for r in runs if r.token == pick), labels[pick])


def _student_labels(runs, names: bool) -> list[str]:
    rows = board_table(runs, names)
    return list(rows[column("student")] + " · " + rows[column("network")] + " · "
                + rows[column("test")].map(lambda v: _("test {share}").format(share=percent(v / 100))))


def _board_state(s: Store, code: str, runs) -> tuple:
    """What the page was drawn from: its runs and the class's drawings."""
    return tuple(r.token for r in runs), s.drawing_ids(code)


@st.fragment(run_every=BOARD_SECONDS)
def _board(s: Store, code: str, key: str, drawn_with: tuple, names: bool) -> None:
    """The live part: it polls the database, and redraws the whole page when runs or drawings changed (so
    the pickers below, which must not close under the teacher's pointer, stay still in between)."""
    try:
        runs = s.board(code, key)[1]
    except (NotAllowed, StoreUnavailable) as e:
        st.error(reason(e))
        return
    if _board_state(s, code, runs) != drawn_with:
        st.rerun(scope="app")
    numbers = st.container(horizontal=True, gap="large")
    numbers.metric(_("Runs"), len(runs), width="content")
    numbers.metric(_("Students"), len({r.nickname for r in runs}), width="content")
    if not runs:
        st.info(_("No runs yet: they appear here as students' trainings end."))
        return
    numbers.metric(_("Best test accuracy"), percent(max(r.test_accuracy for r in runs)), width="content")
    labels = _student_labels(runs, names)
    left, right = st.columns(2)
    with left:
        st.markdown(_("**Test accuracy against size** (colour: how much better on the training digits)"))
        chart(board_figure(labels, [r.params for r in runs], [r.test_accuracy for r in runs],
                                     [r.gap for r in runs]), key=keys.BOARD_SCATTER, config=STATIC)
    with right:
        st.markdown(_("**Every run's curves** (dashed: test, solid: train)"))
        curves = [(label, [EpochStats(**e) for e in r.epochs]) for label, r in zip(labels, runs[:CURVES_SHOWN])]
        chart(class_curves_figure(curves), key=keys.BOARD_CURVES, config=STATIC)
    ours = s.handwriting_scores(code, [r.token for r in runs])
    table = board_table(runs, names, ours)
    if get_settings().classroom:  # a projector: text the classroom view enlarges (a data grid is a canvas CSS cannot reach)
        st.container(key=keys.BOARD_TABLE).table(projected(table), hide_index=True, height=(
            "content" if len(runs) <= PROJECTED_ROWS else PROJECTED_HEIGHT))
    else:  # a run not yet scored on the class's drawings (saved without weights) shows a dash, not a grey "None"
        st.dataframe(table, hide_index=True, width="stretch", placeholder=NONE, column_config={
            column("ours"): st.column_config.NumberColumn(format=PERCENT, help=_(
                "accuracy on the class's drawings (—: not tested on them yet, or saved without its weights)")),
            column("train"): st.column_config.NumberColumn(format=PERCENT),
            column("test"): st.column_config.NumberColumn(format=PERCENT),
            column("gap"): st.column_config.NumberColumn(format=POINTS),
            column("parameters"): st.column_config.NumberColumn(format="localized"),
            column("ended"): st.column_config.DatetimeColumn(format="HH:mm")})
    # the file is made when clicked, from the board as it is then (the fragment redraws every few seconds)
    st.download_button(_("Download the board (.csv)"), data=lambda: board_csv(runs, names, ours),
                       file_name=f"fcviz-class-{code}.csv", mime="text/csv", icon=":material/download:",
                       on_click="ignore", key=keys.BOARD_CSV)


PERCENT, POINTS, NONE = "%.1f%%", "%+.1f", "—"  # the board table's numbers, as the grid and the projector write them
PROJECTED_ROWS, PROJECTED_HEIGHT = 12, 620  # the projected table scrolls past this many runs, at this height (px)


def projected(table: pd.DataFrame) -> Styler:
    """The board table written as the grid writes it: what the classroom view shows as an HTML table (whose cells
    are Markdown: a nickname stays the words typed; numbers stay numbers, to the right)."""
    shown = table.copy()
    for name in ("student", "network", "settings"):
        shown[column(name)] = [plain(str(v)) for v in table[column(name)]]
    in_percent, in_points = PERCENT.__mod__, POINTS.__mod__
    return shown.style.format({column("test"): in_percent, column("train"): in_percent, column("ours"): in_percent,
                               column("gap"): in_points, column("parameters"): number,
                               column("ended"): lambda t: pd.Timestamp(t).strftime("%H:%M")}, na_rep=NONE)


def _run_detail(s: Store, code: str, key: str, summary, label: str) -> None:
    saved = s.run(summary.token)
    if saved is None:
        st.info(_("This run was just removed."))
        return
    st.subheader(plain(label))
    st.text(settings_of(summary))  # in this reader's language, whoever trained it
    left, right = st.columns(2)
    with left:
        chart(compare_figure([(label, [EpochStats(**e) for e in summary.epochs])]),
                        key=keys.BOARD_RUN_CURVES, config=STATIC)
    with right:
        chart(confusion_figure(np.asarray(saved.confusion), classes_of(summary.data)),
                        key=keys.BOARD_RUN_CONFUSION, config=STATIC)
    row = st.container(horizontal=True)
    row.link_button(_("Open in my Train page"), private_link(summary.token), icon=":material/open_in_new:")
    if pressed(_("Remove this run from the class"), key=keys.BOARD_REMOVE, icon=":material/delete:", place=row):
        s.remove_run(code, key, summary.token)
        st.rerun()


def _handwriting_set(s: Store, code: str, key: str) -> None:
    """Moderation: the class's drawings as a grid by label; remove one."""
    images, labels, ids = s.handwriting(code)
    title = ngettext("Our handwriting: {n} drawing added on the Draw page",
                     "Our handwriting: {n} drawings added on the Draw page", len(ids)).format(n=number(len(ids)))
    with folded(title, keys.CLASS_HANDWRITING_OPEN, icon=":material/draw:"):
        if len(ids) == 0:
            st.caption(_("Students in the class add drawings on the Draw page, with their true label; every run is "
                         "then tested on them too."))
            return
        gallery(images, [f"{label} · #{i}" for label, i in zip(labels, ids)], key=keys.BOARD_DRAWINGS)
        row = st.container(horizontal=True, vertical_alignment="bottom")
        chosen = row.selectbox(_("Drawing"), [int(i) for i in ids], format_func="#{}".format, index=None,
                               placeholder="#…", key=keys.BOARD_DRAWING, width=160)
        if pressed(_("Remove this drawing"), key=keys.BOARD_DRAWING_REMOVE, icon=":material/delete:",
                   disabled=chosen is None, place=row):
            s.remove_drawing(code, key, chosen)
            st.rerun()
