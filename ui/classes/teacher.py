"""The Class page's teacher side: the key that opens a class's board (from the teacher link, or kept from
earlier in the session), creating a class, and the links to hand out."""
from __future__ import annotations

import streamlit as st

from fcviz.i18n import _
from fcviz.settings import fields
from fcviz.store.classes import NOT_TEACHER, clean_code
from fcviz.store.store import Store
from fcviz.store.tables import CLASS_NAME_LENGTH
from ui import keys
from ui.navigation import CLASS, link


def teacher_access(s: Store) -> tuple[str, str] | None:
    """(code, key) of the board this session may show: from the teacher link, or from earlier in the
    session. Says so when the link is not valid (in the same words, whichever part is wrong)."""
    link = st.session_state.pop(keys.TEACHER_LINK, None)
    if link is not None:
        if s.is_teacher(*link):
            st.session_state[keys.TEACHER] = (clean_code(link[0]), link[1])
        else:
            st.session_state.pop(keys.TEACHER, None)
            st.error(_(NOT_TEACHER))
    return st.session_state.get(keys.TEACHER)


def create_form(s: Store) -> None:
    """No board yet: a class name and a button that creates the class (its teacher key is kept in the session)."""
    st.markdown(_("Create a class: students join it with a short code (or its link) and a nickname; every run "
                  "they train then appears on your board."))
    with st.form(keys.CLASS_CREATE, border=False, enter_to_submit=True):
        name = st.text_input(_("Class name"), max_chars=CLASS_NAME_LENGTH, key=keys.CLASS_NAME,
                             placeholder=_("e.g. Deep learning, group B"))
        if st.form_submit_button(_("Create a class"), icon=":material/add:"):
            code, key = s.create_class(name)
            st.session_state[keys.TEACHER] = (code, key)
            st.rerun()


def links(code: str, key: str) -> None:
    """The students' link and the teacher's own (secret) link to the board."""
    st.markdown(_("Students join with the code **{code}** (sidebar, *Join a class*), or with this link:").format(
        code=code))
    st.code(link(None, {fields.CLASS_KEY: code}), language=None, wrap_lines=True)
    with st.expander(_("Your teacher link (keep it secret: it opens this board)"), icon=":material/key:"):
        st.code(link(CLASS, {fields.CLASS_KEY: code, fields.TEACHER_KEY: key}), language=None, wrap_lines=True)
        st.caption(_("Bookmark it: it is the only way back to this board. It does not stay in the address bar, "
                     "so the projector does not show it."))
