"""The class store as this server and this browser use it: the store (opened once per process), this
device's token, and saving a run when its training ends.

A device is known by a random token in a cookie (set from the page, read by the server when a
session starts), never by a name or an account. When the database cannot be reached the app goes
on for the session alone, and says its runs are not being saved.
"""
from __future__ import annotations

import logging
import math
import re
import threading
import time
from typing import Callable
from urllib.parse import unquote

import streamlit as st

from fcviz import i18n
from fcviz.i18n import N_
from fcviz.settings import fields
from fcviz.store import expiry
from fcviz.store.database import NotAllowed, StoreUnavailable, new_token
from fcviz.store.saved_runs import record_of, worth_saving
from fcviz.store.store import Store
from fcviz.store.tables import TOKEN_LENGTH
from fcviz.train.state import TrainingState
from fcviz.train.training import Run
from ui import keys

log = logging.getLogger("fcviz")

DEVICE_COOKIE = "fcviz_device"
# the view this browser chose last: a typed address or a bookmark opens in it (a link's `lang=`, `classroom=` win)
LANG_COOKIE = "fcviz_lang"
PROJECTOR_COOKIE = "fcviz_projector"
# the network and training settings of this browser's last address: an address typed without them (`/train` before the
# first run) opens with them, not with the defaults (a link that names any setting wins)
SETTINGS_COOKIE = "fcviz_settings"
VIEW_KEYS = (fields.field("lang").key, fields.field("classroom").key)  # in cookies of their own (above)
SETTING_KEYS = frozenset(f.key for f in fields.FIELDS) - set(VIEW_KEYS)
COOKIE_DAYS = 365
TOKEN_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")  # what `new_token` makes
RETRY_SECONDS = 30.0  # a database that could not be reached is tried again after this
NOT_SAVING = N_("Runs are not being saved: the class database cannot be reached. Download the model to keep it.")

KEEP_DAYS = expiry.keep_days()  # read once, when the server starts

_store: Store | None = None
_tried = -math.inf
_lock = threading.Lock()


def store() -> Store | None:
    """This process's store, opened on first use; None while its database cannot be reached."""
    global _store, _tried
    with _lock:
        if _store is None and time.monotonic() - _tried > RETRY_SECONDS:
            _tried = time.monotonic()
            try:
                _store = Store()
            except StoreUnavailable as e:
                log.warning("fcviz: %s; runs are not saved", e)
            else:
                threading.Thread(target=_expire_daily, args=(_store,), name="fcviz-expiry", daemon=True).start()
        return _store


def _expire_daily(s: Store) -> None:
    """This page server's expiry (`fcviz.store.expiry`): once when the store opens, then daily. Other servers on
    the same database do the same; a batch one of them is deleting, the others skip."""
    while True:
        try:
            done = expiry.expire(s, KEEP_DAYS)
            if done.rows:
                log.info("fcviz: deleted what was not used for %d days: %s", KEEP_DAYS, done.rows)
        except StoreUnavailable as e:
            log.warning("fcviz: expiring the class store failed (%s); tried again tomorrow", e)
        time.sleep(expiry.EXPIRE_EVERY.total_seconds())


def device() -> str:
    """This browser's token: from its cookie, or new (and written into its cookie by `write_cookies`)."""
    if keys.DEVICE not in st.session_state:
        token = cookie(DEVICE_COOKIE)
        if not TOKEN_PATTERN.fullmatch(token):
            token = new_token()
            st.session_state[keys.DEVICE_NEW] = True
        else:
            _seen(token)  # once per session: the device's records are in use
        st.session_state[keys.DEVICE] = token
    return st.session_state[keys.DEVICE]


def _seen(token: str) -> None:
    """The store hears that this device is back (its runs, digits and classes are used); quietly, if it can."""
    s = store()
    if s is not None:
        try:
            s.seen(token)
        except StoreUnavailable:
            pass


def remember(cookie: str, value: str) -> None:
    """Keep `value` in this browser's cookie `cookie` (the server reads it when the next session starts)."""
    st.session_state.setdefault(keys.COOKIES, {})[cookie] = value


def cookie(name: str) -> str:
    """This browser's cookie `name` as the session started with it, or ""."""
    value = st.context.cookies.get(name)
    return unquote(value) if isinstance(value, str) else ""  # (a mock in AppTest)


def write_cookies() -> None:
    """The cookies this session keeps (a new device token, a nickname), and the settings of the address each time
    the page rewrites it (`SETTINGS_COOKIE`: the address changes after this is drawn, in the page's own run), written
    by a few lines of script in the sidebar, drawn on every run. (It runs in the page itself: it was an iframe, a
    document of its own for every new visitor to load.)"""
    device()  # from the session's first run: a new browser's token is written from then on
    if keys.DEVICE_NEW in st.session_state:
        remember(DEVICE_COOKIE, device())
        del st.session_state[keys.DEVICE_NEW]
    cookies = st.session_state.get(keys.COOKIES, {})
    with st.sidebar:
        _cookie_writer(key=keys.COOKIE_WRITER, data={
            "cookies": sorted(cookies.items()), "seconds": COOKIE_DAYS * 86400,
            "settings": {"cookie": SETTINGS_COOKIE, "keys": sorted(SETTING_KEYS)}})


_cookie_writer = st.components.v2.component("fcviz_cookies", js="""
export default function (component) {
  const { cookies, seconds, settings } = component.data;
  const put = (name, value) =>
    document.cookie = `${name}=${encodeURIComponent(value)}; max-age=${seconds}; path=/; SameSite=Strict`;
  for (const [name, value] of cookies) put(name, value);
  const keep = () => {  // the address's settings, when it has any
    const kept = new URLSearchParams();
    for (const [k, v] of new URLSearchParams(location.search)) if (settings.keys.includes(k)) kept.append(k, v);
    if (kept.size) put(settings.cookie, kept.toString());
  };
  keep();
  if (!window.fcvizKeepsSettings) {  // once per page: each rewrite of the address (Streamlit's, with the settings)
    window.fcvizKeepsSettings = true;
    for (const name of ["pushState", "replaceState"]) {
      const original = history[name].bind(history);
      history[name] = (...args) => { const done = original(...args); keep(); return done; };
    }
    addEventListener("popstate", keep);
  }
}""", isolate_styles=False)  # (no styles of its own: no shadow root to make)


def kept_class() -> str | None:
    """The class this browser's teacher opened last (the Class page opens its board by itself), looked up once per
    session: a link the teacher shares from any page joins it."""
    if keys.KEPT_CLASS not in st.session_state:
        s, mine = store(), []
        try:
            mine = s.classes_of(device()) if s is not None else []
        except StoreUnavailable:
            pass
        st.session_state[keys.KEPT_CLASS] = mine[0].code if mine else None
    return st.session_state[keys.KEPT_CLASS]


def joined_class() -> tuple[str, str] | None:
    """(code, name) of the class this session joined."""
    return st.session_state.get(keys.CLASS)


def nickname() -> str:
    """This session's nickname in its class ("" before it joins one)."""
    return st.session_state.get(keys.NICKNAME, "")


def saver(query: dict[str, str]) -> Callable[[Run, str], None] | None:
    """What a Trainer calls when its training ends: save the run (again, under the same link, after a
    Continue), in the class joined at Train time. `query` is the settings' link then. None when nothing
    can be saved now."""
    s, owner, joined, nick, language = store(), device(), joined_class(), nickname(), i18n.current()
    if s is None:
        return None

    def save(run: Run, state: TrainingState) -> None:
        if not worth_saving(run, state):
            return
        i18n.use(language)  # (the training's thread has no session: its one-line label in the student's language)
        try:
            run.token = s.save_run(record_of(run, query, state), owner, class_code=joined[0] if joined else None,
                                   nickname=nick, replace=run.token)
            run.save_error = None
        except (StoreUnavailable, NotAllowed) as e:
            run.save_error = e.args[0]  # its message (`N_` or `later`): translated where it is shown
        finally:
            i18n.use(None)
    return save
