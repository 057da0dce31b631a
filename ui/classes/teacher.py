"""The Class page's teacher side: the key that opens a class's board (from the teacher link, from earlier in
the session, or kept by this device for the classes it created or opened), this device's classes, creating a
class, and the links to hand out."""
from __future__ import annotations

import streamlit as st

from fcviz.i18n import _, ngettext, number, reason
from fcviz.settings import fields
from fcviz.store.classes import NOT_TEACHER, clean_code
from fcviz.store.database import NotAllowed, StoreUnavailable
from fcviz.store.store import Store
from fcviz.store.tables import CLASS_NAME_LENGTH
from ui import keys
from ui import store as db
from ui.folds import folded
from ui.navigation import CLASS, link
from ui.session import Tone, get_settings, notice
from ui.text import plain


def teacher_access(s: Store) -> tuple[str, str] | None:
    """(code, key) of the board this session shows: from the teacher link (the class is then kept by this
    device too), from earlier in the session, or the class this device opened last. Says so when the link
    is not valid (in the same words, whichever part is wrong)."""
    teacher_link = st.session_state.pop(keys.TEACHER_LINK, None)
    try:
        if teacher_link is not None:
            try:
                s.keep_class(db.device(), *teacher_link)
                st.session_state[keys.TEACHER] = (clean_code(teacher_link[0]), teacher_link[1])
            except NotAllowed:
                st.session_state.pop(keys.TEACHER, None)
                st.error(_(NOT_TEACHER))
        if keys.TEACHER not in st.session_state:
            mine = s.classes_of(db.device())
            if mine:
                _open_own(s, mine[0].code)
    except (NotAllowed, StoreUnavailable) as e:
        st.error(reason(e))
    return st.session_state.get(keys.TEACHER)


def _open_own(s: Store, code: str) -> None:
    """Show one of this device's classes (it becomes the one opened last)."""
    st.session_state[keys.TEACHER] = (code, s.open_own_class(db.device(), code))


def _switch(s: Store) -> None:
    """The "My classes" choice changed: its board, before the page is drawn again."""
    try:
        _open_own(s, st.session_state[keys.MY_CLASSES])
    except (NotAllowed, StoreUnavailable) as e:
        st.error(reason(e))


def my_classes(s: Store, code: str) -> None:
    """Above the board: its class's name, "My classes" to switch to another of this device's classes when it
    keeps several, and a new class."""
    try:
        mine = s.classes_of(db.device())
    except StoreUnavailable:
        mine = []
    names = {c.code: f"{c.name} ({c.code})" for c in mine}
    row = st.container(horizontal=True, vertical_alignment="bottom")
    if len(names) > 1 and code in names:
        st.session_state[keys.MY_CLASSES] = code  # the board on show (also after a teacher link or a new class)
        row.selectbox(_("My classes"), list(names), format_func=names.get, key=keys.MY_CLASSES, width=360,
                      on_change=_switch, args=(s,),
                      help=_("The classes this browser created or opened with a teacher link."))
    elif code in names:
        row.subheader(plain(names[code]), anchor=False)
    with row.popover(_("New class"), icon=":material/add:", key=keys.CLASS_NEW, on_change="rerun"):
        create_form(s)


def create_form(s: Store) -> None:
    """A class name and a button that creates the class (kept by this device, its board shown)."""
    st.markdown(_("Create a class: students join it with a short code (or its link) and a nickname; every run "
                  "they train then appears on your board."))
    with st.form(keys.CLASS_CREATE, border=False, enter_to_submit=True):
        st.text_input(_("Class name"), max_chars=CLASS_NAME_LENGTH, key=keys.CLASS_NAME,
                      placeholder=_("e.g. Deep learning, group B"))
        st.form_submit_button(_("Create a class"), icon=":material/add:", on_click=_create, args=(s,))


def _create(s: Store) -> None:
    """The form was sent: the new class's board, before the page is drawn again ("New class" closed, the name
    field empty for the next one)."""
    try:
        code, key = s.create_class(st.session_state.get(keys.CLASS_NAME, ""), owner=db.device())  # kept by it
    except StoreUnavailable as e:
        st.error(reason(e))
        return
    st.session_state[keys.TEACHER] = (code, key)
    st.session_state[keys.CLASS_NAME] = ""
    st.session_state[keys.CLASS_NEW] = False


CODE_STYLE = "font-size: 3.5rem; font-weight: 700; letter-spacing: 0.2em; line-height: 1.1; color: #1f2933"


def links(code: str, key: str) -> None:
    """The students' link and the teacher's own (secret) link to the board."""
    # the one thing every student reads off the projector: big enough for the back row (a code is A-Z and 2-9 only)
    st.html(f'<div data-testid="fcviz-class-code" style="{CODE_STYLE}">{clean_code(code)}</div>')
    st.markdown(_("Students join with the code **{code}** (sidebar, *Join a class*), or with this link:").format(
        code=code))
    st.code(link(None, {fields.CLASS_KEY: code}), language=None, wrap_lines=True)
    with folded(_("Your teacher link (keep it secret: it opens this board)"), keys.TEACHER_LINK_OPEN,
                icon=":material/key:"):
        if get_settings().classroom:  # a box left open as the big text went on showed the key to the room
            st.caption(_("Hidden while the text is big for a projector: turn **Big text for a projector** off in the "
                         "sidebar to see it."))
            return
        st.code(link(CLASS, {fields.CLASS_KEY: code, fields.TEACHER_KEY: key}), language=None, wrap_lines=True)
        st.caption(_("This browser remembers this board and opens it again by itself. On another computer, this "
                     "link opens it (and that browser remembers it too). It does not stay in the address bar, so the "
                     "projector does not show it."))


def keeping(s: Store, code: str, key: str) -> None:
    """Below the board: how long the class is kept, and deleting it now with everything in it (a confirmation
    that says what goes)."""
    row = st.container(horizontal=True, vertical_alignment="center")
    row.caption(_("Classes, runs and drawings not used for {days} days are deleted.").format(days=number(db.KEEP_DAYS)))
    try:
        info, contents = s.find_class(code), s.class_contents(code, key)
    except (NotAllowed, StoreUnavailable):
        return  # the board above says why
    if info is None:
        return
    with row.popover(_("Delete this class"), icon=":material/delete_forever:", key=keys.CLASS_DELETE,
                     on_change="rerun"):
        what = ", ".join((
            ngettext("{n} run", "{n} runs", contents.runs).format(n=number(contents.runs)),
            ngettext("{n} drawing", "{n} drawings", contents.drawings).format(n=number(contents.drawings)),
            ngettext("{n} nickname", "{n} nicknames", contents.nicknames).format(n=number(contents.nicknames))))
        st.markdown(_("Delete class **{name}** ({code}) and everything in it: {what}. Its code and teacher link then "
                      "open nothing. This cannot be undone.").format(name=plain(info.name), code=code, what=what))
        st.button(_("Delete the class for good"), type="primary", icon=":material/delete_forever:",
                  key=keys.CLASS_DELETE_GO, on_click=_delete, args=(s, code, key, info.name))


def _delete(s: Store, code: str, key: str, name: str) -> None:
    """Confirmed: the class goes, and the page shows this device's next class, or a new one to create, as if the
    deleted one had never been."""
    try:
        s.delete_class(code, key)
    except (NotAllowed, StoreUnavailable) as e:
        notice(Tone.ERROR, reason(e))
        return
    for state in (keys.TEACHER, keys.KEPT_CLASS, keys.MY_CLASSES, keys.BOARD_PICK, keys.BOARD_DRAWING):
        st.session_state.pop(state, None)
    st.session_state[keys.CLASS_DELETE] = False
    st.session_state[keys.CLASS_NAME] = ""  # the form for a new class starts empty
    notice(Tone.SUCCESS, _("Class {name} ({code}) was deleted, with everything in it.").format(
        name=plain(name), code=code), icon=":material/delete_forever:")
