"""Joining a class, the student's side: the class code a link carries or the student types, a nickname, and
leaving again (in the sidebar of every page). A teacher link's code and key are read here too, before the
address bar is rewritten; the key then stays out of the address bar, which a projector shows to the class."""
from __future__ import annotations

import streamlit as st

from fcviz.i18n import _
from fcviz.settings import fields
from fcviz.store.classes import NO_CLASS, clean_code
from fcviz.store.database import StoreUnavailable, clean_nickname
from fcviz.store.store import Store
from fcviz.store.tables import CODE_LENGTH, NICKNAME_LENGTH
from ui import keys
from ui import store as db
from ui.clicks import pressed
from ui.first_paint import later
from ui.folds import folded
from ui.session import Tone, notice

NICK_COOKIE = "fcviz_nickname"
CLASS_COOKIE = "fcviz_class"  # the code of the class this browser joined: a reload or a typed address stays in it


def class_box() -> None:
    """Sidebar: join the class whose code the link carries or the student types; leave it."""
    s = db.store()
    linked = st.session_state.get(keys.CLASS_LINKED, "")
    if s is None:
        if linked:  # the student followed a class link: say why there is nothing to join
            st.sidebar.warning(_("This link joins class {code}, which cannot be joined now.").format(code=linked)
                               + " " + _(db.NOT_SAVING))
        return
    rejoin(s)
    joined = db.joined_class()
    title = _("Class: {name}").format(name=joined[1]) if joined else _("Join a class")
    with folded(title, keys.JOINED_OPEN if joined else keys.JOIN_OPEN, st.sidebar, icon=":material/groups:",
                expanded=bool(linked) and not joined):
        if joined:
            st.text(_("You are {nickname} in class {name} ({code}). Runs you train are shown on the teacher's "
                      "board.").format(nickname=db.nickname(), name=joined[1], code=joined[0]))
            if pressed(_("Leave the class"), key=keys.CLASS_LEAVE):
                st.session_state.pop(keys.CLASS, None)
                st.query_params.pop(fields.CLASS_KEY, None)
                db.remember(CLASS_COOKIE, "")
                st.rerun()
            return
        if not linked and later():  # folded: its form comes with the next run
            return
        code = st.text_input(_("Class code"), value=linked, max_chars=CODE_LENGTH, key=keys.CLASS_CODE,
                             placeholder=_("e.g. {code}").format(code="K7QX2M"))
        nick = st.text_input(_("Nickname"), value=db.cookie(NICK_COOKIE)[:NICKNAME_LENGTH], max_chars=NICKNAME_LENGTH,
                             key=keys.CLASS_NICK, help=_("Shown on the teacher's board. No real name needed."))
        if pressed(_("Join"), key=keys.CLASS_JOIN, icon=":material/login:"):
            join(s, code, nick)  # reruns once joined
    if linked:  # (not joined yet) on a phone the sidebar, and the form in it, starts folded away: say where it is
        notice(Tone.INFO, _("To join class {code}, give a nickname under **Join a class** in the sidebar (on a "
                            "phone: the » at the top left).").format(code=linked), icon=":material/groups:")


def join(s: Store, code: str, nick: str) -> None:
    """Join class `code` as `nick` (kept in a cookie for next time); says why not when it can't."""
    nick = clean_nickname(nick)
    if not nick:
        st.error(_("Choose a nickname first."))
        return
    try:
        info = s.find_class(code)
    except StoreUnavailable:
        st.error(_(db.NOT_SAVING))
        return
    if info is None:
        st.error(_(NO_CLASS))
        return
    st.session_state[keys.CLASS] = (info.code, info.name)
    st.session_state[keys.NICKNAME] = nick
    db.remember(NICK_COOKIE, nick)
    db.remember(CLASS_COOKIE, info.code)
    st.rerun()


def rejoin(s: Store) -> None:
    """A new session of a browser that joined a class (a reload, a typed address, a new tab) is in it again,
    under the same nickname, once per session: else its runs would leave the teacher's board unannounced."""
    if keys.CLASS_REJOINED in st.session_state or db.joined_class():
        return
    st.session_state[keys.CLASS_REJOINED] = True
    code, nick = clean_code(db.cookie(CLASS_COOKIE)), clean_nickname(db.cookie(NICK_COOKIE))
    linked = st.session_state.get(keys.CLASS_LINKED)
    if not code or not nick or (linked and linked != code):  # a link to another class asks to join that one
        return
    try:
        info = s.find_class(code)
    except StoreUnavailable:
        return
    if info is not None:
        st.session_state[keys.CLASS] = (info.code, info.name)
        st.session_state[keys.NICKNAME] = nick


def read_class_links() -> None:
    """Before the address bar is rewritten from the settings: keep a link's class code (a student's
    link) or class code and key (the teacher's) in the session. The key then leaves the address bar. The teacher
    opening the link they shared (on the projector, say) is not asked to join their own class."""
    code, key = st.query_params.get(fields.CLASS_KEY), st.query_params.get(fields.TEACHER_KEY)
    if code and key:
        st.session_state[keys.TEACHER_LINK] = (str(code), str(key))
    elif code and not db.joined_class() and clean_code(code) != db.kept_class():  # (the teacher's own class: no prompt)
        st.session_state[keys.CLASS_LINKED] = clean_code(code)
