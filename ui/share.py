"""Links and the classroom view: how a teacher hands a setting to a class (the lecture experiments are the Train
page's, `ui.train.series`)."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from fcviz import i18n
from fcviz.i18n import _
from fcviz.settings import fields
from ui import keys
from ui import store as db
from ui.first_paint import later
from ui.folds import folded
from ui.navigation import link, shared_page
from ui.session import LANG, get_settings, set_settings
from ui.widgets import setting

CLASSROOM_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 20px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.4rem !important; }
.fcviz-feed-status, .fcviz-feed-warning { font-size: 1.15rem !important; }  /* the live feed's (ui.train.feed) */
.fcviz-feed-number .label { font-size: 1.05rem !important; }
.fcviz-feed-number .value { font-size: 2.4rem !important; }
h1 { font-size: 2.6rem !important; }
[data-testid="stMainBlockContainer"] { padding-top: 3rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1rem !important; }
[data-testid="stWidgetLabel"] p { font-size: 1.05rem; }
[data-testid="stNumberInputField"], [data-testid="stTextInputField"], [data-testid="stSelectbox"] input {
  font-size: 1.05rem !important; }  /* what a box holds as big as its label: a chosen dataset, a typed number */
[data-testid="stCode"] code { font-size: 1.05rem !important; }
[data-testid="stSliderThumbValue"] { top: auto !important; bottom: 100%%; line-height: 1.2; }  /* above the knob, not on it */
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.1rem !important; }
.st-key-%s td p { white-space: nowrap !important; }  /* the board's cells one line: "784-128-10" not cut in two (it scrolls) */
.st-key-%s { flex: 0 1 460px !important; width: 460px !important; }  /* Draw's layer box: its whole name */
@media (min-width: 1200px) {  /* a projector: room for the sidebar's bigger text (a phone keeps its own) */
  section[data-testid="stSidebar"] { width: 400px !important; min-width: 400px !important; } }
</style>
""" % (keys.BOARD_TABLE, keys.DRAW_LAYER)
# Every page: Streamlit draws captions (and code in them) at 60 % opacity, below WCAG AA contrast (3.9:1 and
# 3.0:1 on white): here at 6:1 (tests/e2e/test_contrast_browser.py checks every page with axe-core). On a phone a
# smaller title, so that a page's first numbers share the first screen with it, and no plotly toolbar (a tap showed it
# over the chart's title).
READABLE_CSS = """
<style>
[data-testid="stCaptionContainer"] { color: #5f5e5c; opacity: 1; }
[data-testid="stCaptionContainer"] code { color: #1f6f5c; }
@media (max-width: 640px) { h1 { font-size: 2rem !important; } .modebar-container { display: none !important; } }
.st-key-%s, .st-key-%s, .st-key-%s, .st-key-%s { display: none; }
.st-key-%s { row-gap: 1rem !important; }
</style>
""" % (keys.COOKIE_WRITER, keys.SIDEBAR_FOLDER, keys.PAINTED, keys.CHART_CODE, keys.TRAIN_NUMBERS)
# (elements that draw nothing take no room: a first visit lays out as a reload; the Train page's numbers, wrapped on a
# phone, keep their large gap sideways only: 4 rem between the rows was an empty band)
# Streamlit's frontend writes its file uploader's own words in English, and a text box's "Press Enter to apply": in
# another language, ours are shown in their place (the words stay in the page for screen readers).
STREAMLIT_WORDS_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
    content: "{upload}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{limit}"; font-size: 0.875rem; }}
[data-testid="InputInstructions"] span:first-child {{ font-size: 0; }}
[data-testid="InputInstructions"] span:first-child::after {{ content: "{enter}"; font-size: 0.75rem; }}
</style>
"""


def language_switch() -> None:
    """English / 中文 at the top of the sidebar: a change draws the page in the other language, and this browser opens
    in it next time (a typed address or a bookmark too)."""
    key = LANG.widget_key()
    st.session_state[key] = get_settings().lang  # (a page's widgets are its own: set on every page, or none is shown)

    def switch() -> None:  # before the run: all of it in the new language
        chosen = st.session_state[key]
        if chosen is not None:  # (a click on the chosen language unselects it: the run selects it again)
            set_settings(replace(get_settings(), lang=chosen))
            db.remember(db.LANG_COOKIE, chosen)

    st.sidebar.segmented_control(LANG.caption, LANG.choices, format_func=i18n.LANGUAGES.get, key=key,
                                 on_change=switch, label_visibility="collapsed", width="stretch")


def projector_switch() -> None:
    """Big text for a projector, on this screen at once (a teacher had to type `classroom=1` into the address bar: the
    share box's classroom link changes the link it shows, not the page); kept in the address bar for a reload, and by
    this browser for the next visit."""
    st.session_state[keys.PROJECTOR] = get_settings().classroom  # (a page's widgets are its own: set on every page)

    def switch() -> None:
        on = st.session_state[keys.PROJECTOR]
        set_settings(replace(get_settings(), classroom=on))
        db.remember(db.PROJECTOR_COOKIE, "1" if on else "0")

    st.sidebar.toggle(_("Big text for a projector"), key=keys.PROJECTOR, on_change=switch,
                      help=_("Bigger text and charts for the back row of a room. The share box below makes a link "
                             "that opens in this view."))


def classroom_style() -> None:
    """Captions dark enough to read; bigger text for a projector when the link says `classroom=1`; the uploader's
    words in the language."""
    st.html(READABLE_CSS)
    if get_settings().classroom:
        st.html(CLASSROOM_CSS)
    if i18n.current() != i18n.SOURCE:
        limit = _("{n} MB per file").format(n=st.get_option("server.maxUploadSize"))
        st.html(STREAMLIT_WORDS_CSS.format(upload=_("Upload"), limit=limit, enter=_("Press Enter to confirm")))


def share_box(place: DeltaGenerator) -> None:
    """In `place` (in the sidebar): the link to this exact setting, with an optional classroom view that hides
    chosen controls."""
    settings = get_settings()
    # lazy: folded (as it starts on every page), it sends nothing, and a student's browser loads no code box for it
    box = folded(_("Share this setting"), keys.SHARE_OPEN, place, icon=":material/link:", on_change="rerun")
    with box:
        if later() or not box.open:  # (first, `later`: on a first run its trigger is drawn here, early in the page)
            return
        classroom = setting(fields.field("classroom"), settings.classroom)
        hide = setting(fields.field("hide"), list(settings.hide))
        query = replace(settings, classroom=classroom, hide=tuple(hide)).to_query()
        code = class_to_share()
        if code:
            query[fields.CLASS_KEY] = code
        st.code(link(shared_page(), query), language=None, wrap_lines=True)
        st.caption(_("Copy with the icon at the code's corner. Opening the link restores the network, the training "
                     "settings and the data on any page."))
        if code:
            st.caption(_("Whoever opens it joins class {code} too.").format(code=code))


def class_to_share() -> str | None:
    """The class a shared link joins: the board the teacher has open (or opened last on this browser), or the class
    this student joined."""
    board, joined = st.session_state.get(keys.TEACHER), db.joined_class()
    return board[0] if board else joined[0] if joined else db.kept_class()
