"""Class: create a class, and its teacher's board: every run of the class, live, for the projector."""
import numpy as np
import pandas as pd
import streamlit as st

from fcviz.charts import board_figure, class_curves_figure, compare_figure, confusion_figure, digit_grid
from fcviz.history import EpochStats
from fcviz.store import NotAllowed, StoreUnavailable
from fcviz.style import STATIC
from ui import keys
from ui import store as db
from ui.classes import teacher_access
from ui.frame import frame
from ui.navigation import app_root
from ui.text import plain

BOARD_SECONDS = 5  # the board polls the database this often while it is shown
CURVES_SHOWN = 150  # newest runs overlaid (every run stays in the table and the scatter)

frame()
st.title("Class")
s = db.store()
if s is None:
    st.warning("The class board needs the class database, which cannot be reached now. Training and every "
               "other page still work.")
    st.stop()

access = teacher_access(s)


def create_form() -> None:
    st.markdown("Create a class: students join it with a short code (or its link) and a nickname; every run they "
                "train then appears on your board.")
    with st.form(keys.CLASS_CREATE, border=False, enter_to_submit=True):
        name = st.text_input("Class name", max_chars=60, key=keys.CLASS_NAME, placeholder="e.g. Deep learning, group B")
        if st.form_submit_button("Create a class", icon=":material/add:"):
            code, key = s.create_class(name)
            st.session_state[keys.TEACHER] = (code, key)
            st.rerun()


def links(code: str, key: str) -> None:
    root = app_root()
    st.markdown(f"Students join with the code **{code}** (sidebar, *Join a class*), or with this link:")
    st.code(f"{root}/?class={code}", language=None, wrap_lines=True)
    with st.expander("Your teacher link (keep it secret: it opens this board)", icon=":material/key:"):
        st.code(f"{root}/class?class={code}&key={key}", language=None, wrap_lines=True)
        st.caption("Bookmark it: it is the only way back to this board. It does not stay in the address bar, "
                   "so the projector does not show it.")


def table(runs, names: bool, ours: dict[str, float] | None = None) -> pd.DataFrame:
    ours = ours or {}
    return pd.DataFrame({
        "student": [r.nickname if names else f"student {i + 1}" for i, r in enumerate(runs)],
        "network": [r.network for r in runs],
        "parameters": [r.params for r in runs],
        "settings": [r.label.split(" ", 1)[1] if " " in r.label else r.label for r in runs],
        "epochs": [len(r.epochs) for r in runs],
        "train accuracy": [100 * r.train_accuracy for r in runs],
        "test accuracy": [100 * r.test_accuracy for r in runs],
        "gap (points)": [100 * r.gap for r in runs],
        "our handwriting": [100 * ours[r.token] if r.token in ours else np.nan for r in runs],
        "ended": [r.created for r in runs],
    })


def student_labels(runs, names: bool) -> list[str]:
    rows = table(runs, names)
    return list(rows["student"] + " · " + rows["network"] + " · test " + rows["test accuracy"].map("{:.1f}%".format))


def board_state(code: str, runs) -> tuple:
    """What the page was drawn from: its runs and the class's drawings."""
    return tuple(r.token for r in runs), s.drawing_ids(code)


@st.fragment(run_every=BOARD_SECONDS)
def board(code: str, key: str, drawn_with: tuple, names: bool) -> None:
    """The live part: it polls the database, and redraws the whole page when runs or drawings changed (so
    the pickers below, which must not close under the teacher's pointer, stay still in between)."""
    try:
        _, runs = s.board(code, key)
    except (NotAllowed, StoreUnavailable) as e:
        st.error(str(e))
        return
    if board_state(code, runs) != drawn_with:
        st.rerun(scope="app")
    numbers = st.container(horizontal=True, gap="large")
    numbers.metric("Runs", len(runs), width="content")
    numbers.metric("Students", len({r.nickname for r in runs}), width="content")
    if not runs:
        st.info("No runs yet: they appear here as students' trainings end.")
        return
    numbers.metric("Best test accuracy", f"{max(r.test_accuracy for r in runs):.1%}", width="content")
    labels = student_labels(runs, names)
    left, right = st.columns(2)
    with left:
        st.markdown("**Test accuracy against size** (colour: how much better on the training digits)")
        st.plotly_chart(board_figure(labels, [r.params for r in runs], [r.test_accuracy for r in runs],
                                     [r.gap for r in runs]), key="board_scatter", config=STATIC)
    with right:
        st.markdown("**Every run's curves** (dashed: test, solid: train)")
        curves = [(label, [EpochStats(**e) for e in r.epochs]) for label, r in zip(labels, runs[:CURVES_SHOWN])]
        st.plotly_chart(class_curves_figure(curves), key="board_curves", config=STATIC)
    ours = s.handwriting_scores(code, [r.token for r in runs])
    st.dataframe(table(runs, names, ours), hide_index=True, width="stretch", column_config={
        "our handwriting": st.column_config.NumberColumn(format="%.1f%%", help="accuracy on the class's drawings"),
        "train accuracy": st.column_config.NumberColumn(format="%.1f%%"),
        "test accuracy": st.column_config.NumberColumn(format="%.1f%%"),
        "gap (points)": st.column_config.NumberColumn(format="%+.1f"),
        "parameters": st.column_config.NumberColumn(format="localized"),
        "ended": st.column_config.DatetimeColumn(format="HH:mm")})


def run_detail(code: str, key: str, summary, label: str) -> None:
    saved = s.run(summary.token)
    if saved is None:
        st.info("This run was just removed.")
        return
    st.subheader(plain(label))
    st.text(summary.label)
    left, right = st.columns(2)
    with left:
        st.plotly_chart(compare_figure([(label, [EpochStats(**e) for e in summary.epochs])]), key="board_run_curves",
                        config=STATIC)
    with right:
        st.plotly_chart(confusion_figure(np.asarray(saved.confusion)), key="board_run_confusion", config=STATIC)
    row = st.container(horizontal=True)
    row.link_button("Open in my Train page", f"{app_root()}/train?run={summary.token}", icon=":material/open_in_new:")
    if row.button("Remove this run from the class", key=keys.BOARD_REMOVE, icon=":material/delete:"):
        s.remove_run(code, key, summary.token)
        st.rerun()


def handwriting_set(code: str, key: str) -> None:
    """Moderation: the class's drawings as a grid by label; remove one."""
    images, labels, ids = s.handwriting(code)
    count = f"{len(ids):,} drawing" + ("" if len(ids) == 1 else "s")
    with st.expander(f"Our handwriting: {count} added on the Draw page", icon=":material/draw:"):
        if len(ids) == 0:
            st.caption("Students in the class add drawings on the Draw page, with their true label; every run is "
                       "then tested on them too.")
            return
        st.plotly_chart(digit_grid(images, [f"{label} · #{i}" for label, i in zip(labels, ids)], cols=12),
                        key="board_drawings", config=STATIC)
        row = st.container(horizontal=True, vertical_alignment="bottom")
        chosen = row.selectbox("Drawing", [int(i) for i in ids], format_func="#{}".format, index=None,
                               placeholder="#…", key=keys.BOARD_DRAWING, width=160)
        if row.button("Remove this drawing", key=keys.BOARD_DRAWING_REMOVE, icon=":material/delete:",
                      disabled=chosen is None):
            s.remove_drawing(code, key, chosen)
            st.rerun()


if access is None:
    create_form()
    st.stop()
code, key = access
links(code, key)
try:
    _, runs = s.board(code, key)
except (NotAllowed, StoreUnavailable) as e:
    st.error(str(e))
    st.stop()
names = st.toggle("Show nicknames", key=keys.BOARD_NAMES, help="Hidden by default: the board is projected.")
board(code, key, board_state(code, runs), names)
handwriting_set(code, key)
if runs:
    labels = dict(zip((r.token for r in runs), student_labels(runs, names)))
    pick = st.selectbox("A run in full", list(labels), format_func=labels.get, index=None,
                        placeholder="Choose a run…", key=keys.BOARD_PICK)
    if pick is not None:
        run_detail(code, key, next(r for r in runs if r.token == pick), labels[pick])
