"""Class: create a class, and its teacher's board: every run of the class, live, for the projector."""
import numpy as np
import pandas as pd
import streamlit as st

from fcviz.data.mnist import classes_of
from fcviz.i18n import N_, _, ngettext, number, percent, reason
from fcviz.plots.charts import board_figure, class_curves_figure, compare_figure, confusion_figure, digit_grid
from fcviz.plots.style import STATIC
from fcviz.store.store import NotAllowed, StoreUnavailable
from fcviz.train.history import EpochStats
from ui import keys
from ui import store as db
from ui.classes.teacher import teacher_access
from ui.frame import frame
from ui.navigation import app_root
from ui.text import plain

BOARD_SECONDS = 5  # the board polls the database this often while it is shown
CURVES_SHOWN = 150  # newest runs overlaid (every run stays in the table and the scatter)
COLUMNS = {key: _(title) for key, title in (  # the board table's columns, by what they hold
    ("student", N_("student")), ("network", N_("network")), ("parameters", N_("parameters")),
    ("settings", N_("settings")), ("epochs", N_("epochs")), ("train", N_("train accuracy")),
    ("test", N_("test accuracy")), ("gap", N_("gap (points)")), ("ours", N_("our handwriting")),
    ("ended", N_("ended")))}

frame()
st.title(_("Class"))
s = db.store()
if s is None:
    st.warning(_("The class board needs the class database, which cannot be reached now. Training and every "
                 "other page still work."))
    st.stop()

access = teacher_access(s)


def create_form() -> None:
    st.markdown(_("Create a class: students join it with a short code (or its link) and a nickname; every run "
                  "they train then appears on your board."))
    with st.form(keys.CLASS_CREATE, border=False, enter_to_submit=True):
        name = st.text_input(_("Class name"), max_chars=60, key=keys.CLASS_NAME,
                             placeholder=_("e.g. Deep learning, group B"))
        if st.form_submit_button(_("Create a class"), icon=":material/add:"):
            code, key = s.create_class(name)
            st.session_state[keys.TEACHER] = (code, key)
            st.rerun()


def links(code: str, key: str) -> None:
    root = app_root()
    st.markdown(_("Students join with the code **{code}** (sidebar, *Join a class*), or with this link:").format(
        code=code))
    st.code(f"{root}/?class={code}", language=None, wrap_lines=True)
    with st.expander(_("Your teacher link (keep it secret: it opens this board)"), icon=":material/key:"):
        st.code(f"{root}/class?class={code}&key={key}", language=None, wrap_lines=True)
        st.caption(_("Bookmark it: it is the only way back to this board. It does not stay in the address bar, "
                     "so the projector does not show it."))


def table(runs, names: bool, ours: dict[str, float] | None = None) -> pd.DataFrame:
    ours = ours or {}
    return pd.DataFrame({
        COLUMNS["student"]: [r.nickname if names else _("student {n}").format(n=i + 1) for i, r in enumerate(runs)],
        COLUMNS["network"]: [r.network for r in runs],
        COLUMNS["parameters"]: [r.params for r in runs],
        COLUMNS["settings"]: [r.label.split(" ", 1)[1] if " " in r.label else r.label for r in runs],
        COLUMNS["epochs"]: [len(r.epochs) for r in runs],
        COLUMNS["train"]: [100 * r.train_accuracy for r in runs],
        COLUMNS["test"]: [100 * r.test_accuracy for r in runs],
        COLUMNS["gap"]: [100 * r.gap for r in runs],
        COLUMNS["ours"]: [100 * ours[r.token] if r.token in ours else np.nan for r in runs],
        COLUMNS["ended"]: [r.created for r in runs],
    })


def student_labels(runs, names: bool) -> list[str]:
    rows = table(runs, names)
    return list(rows[COLUMNS["student"]] + " · " + rows[COLUMNS["network"]] + " · "
                + rows[COLUMNS["test"]].map(lambda v: _("test {share}").format(share=percent(v / 100))))


def board_state(code: str, runs) -> tuple:
    """What the page was drawn from: its runs and the class's drawings."""
    return tuple(r.token for r in runs), s.drawing_ids(code)


@st.fragment(run_every=BOARD_SECONDS)
def board(code: str, key: str, drawn_with: tuple, names: bool) -> None:
    """The live part: it polls the database, and redraws the whole page when runs or drawings changed (so
    the pickers below, which must not close under the teacher's pointer, stay still in between)."""
    try:
        runs = s.board(code, key)[1]
    except (NotAllowed, StoreUnavailable) as e:
        st.error(reason(e))
        return
    if board_state(code, runs) != drawn_with:
        st.rerun(scope="app")
    numbers = st.container(horizontal=True, gap="large")
    numbers.metric(_("Runs"), len(runs), width="content")
    numbers.metric(_("Students"), len({r.nickname for r in runs}), width="content")
    if not runs:
        st.info(_("No runs yet: they appear here as students' trainings end."))
        return
    numbers.metric(_("Best test accuracy"), percent(max(r.test_accuracy for r in runs)), width="content")
    labels = student_labels(runs, names)
    left, right = st.columns(2)
    with left:
        st.markdown(_("**Test accuracy against size** (colour: how much better on the training digits)"))
        st.plotly_chart(board_figure(labels, [r.params for r in runs], [r.test_accuracy for r in runs],
                                     [r.gap for r in runs]), key="board_scatter", config=STATIC)
    with right:
        st.markdown(_("**Every run's curves** (dashed: test, solid: train)"))
        curves = [(label, [EpochStats(**e) for e in r.epochs]) for label, r in zip(labels, runs[:CURVES_SHOWN])]
        st.plotly_chart(class_curves_figure(curves), key="board_curves", config=STATIC)
    ours = s.handwriting_scores(code, [r.token for r in runs])
    st.dataframe(table(runs, names, ours), hide_index=True, width="stretch", column_config={
        COLUMNS["ours"]: st.column_config.NumberColumn(format="%.1f%%", help=_("accuracy on the class's drawings")),
        COLUMNS["train"]: st.column_config.NumberColumn(format="%.1f%%"),
        COLUMNS["test"]: st.column_config.NumberColumn(format="%.1f%%"),
        COLUMNS["gap"]: st.column_config.NumberColumn(format="%+.1f"),
        COLUMNS["parameters"]: st.column_config.NumberColumn(format="localized"),
        COLUMNS["ended"]: st.column_config.DatetimeColumn(format="HH:mm")})


def run_detail(code: str, key: str, summary, label: str) -> None:
    saved = s.run(summary.token)
    if saved is None:
        st.info(_("This run was just removed."))
        return
    st.subheader(plain(label))
    st.text(summary.label)
    left, right = st.columns(2)
    with left:
        st.plotly_chart(compare_figure([(label, [EpochStats(**e) for e in summary.epochs])]), key="board_run_curves",
                        config=STATIC)
    with right:
        st.plotly_chart(confusion_figure(np.asarray(saved.confusion), classes_of(summary.data)), key="board_run_confusion",
                        config=STATIC)
    row = st.container(horizontal=True)
    row.link_button(_("Open in my Train page"), f"{app_root()}/train?run={summary.token}",
                    icon=":material/open_in_new:")
    if row.button(_("Remove this run from the class"), key=keys.BOARD_REMOVE, icon=":material/delete:"):
        s.remove_run(code, key, summary.token)
        st.rerun()


def handwriting_set(code: str, key: str) -> None:
    """Moderation: the class's drawings as a grid by label; remove one."""
    images, labels, ids = s.handwriting(code)
    title = ngettext("Our handwriting: {n} drawing added on the Draw page",
                     "Our handwriting: {n} drawings added on the Draw page", len(ids)).format(n=number(len(ids)))
    with st.expander(title, icon=":material/draw:"):
        if len(ids) == 0:
            st.caption(_("Students in the class add drawings on the Draw page, with their true label; every run is "
                         "then tested on them too."))
            return
        st.plotly_chart(digit_grid(images, [f"{label} · #{i}" for label, i in zip(labels, ids)], cols=12),
                        key="board_drawings", config=STATIC)
        row = st.container(horizontal=True, vertical_alignment="bottom")
        chosen = row.selectbox(_("Drawing"), [int(i) for i in ids], format_func="#{}".format, index=None,
                               placeholder="#…", key=keys.BOARD_DRAWING, width=160)
        if row.button(_("Remove this drawing"), key=keys.BOARD_DRAWING_REMOVE, icon=":material/delete:",
                      disabled=chosen is None):
            s.remove_drawing(code, key, chosen)
            st.rerun()


if access is None:
    create_form()
    st.stop()
code, key = access
links(code, key)
try:
    runs = s.board(code, key)[1]
except (NotAllowed, StoreUnavailable) as e:
    st.error(reason(e))
    st.stop()
names = st.toggle(_("Show nicknames"), key=keys.BOARD_NAMES, help=_("Hidden by default: the board is projected."))
board(code, key, board_state(code, runs), names)
handwriting_set(code, key)
if runs:
    labels = dict(zip((r.token for r in runs), student_labels(runs, names)))
    pick = st.selectbox(_("A run in full"), list(labels), format_func=labels.get, index=None,
                        placeholder=_("Choose a run…"), key=keys.BOARD_PICK)
    if pick is not None:
        run_detail(code, key, next(r for r in runs if r.token == pick), labels[pick])
