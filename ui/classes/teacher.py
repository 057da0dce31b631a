"""The Class page's teacher side: the key that opens a class's board (from the teacher link, or kept from
earlier in the session), creating a class, and the links to hand out."""
from __future__ import annotations

import streamlit as st

from fcviz.i18n import _
from fcviz.store.store import NOT_TEACHER, clean_code
from ui import keys


def teacher_access(s) -> tuple[str, str] | None:
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
