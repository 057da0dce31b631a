"""What every page shows and does before its own content."""
from __future__ import annotations

import streamlit as st

from ui.joining import class_box, read_class_links
from ui.navigation import fold_sidebar_on_a_phone
from ui.runtime import configure_runtime
from ui.saved import open_linked_run
from ui.session import get_settings, show_news, show_notices, sync_url
from ui.share import classroom_style, language_switch, projector_switch, share_box
from ui.store import write_cookies


def frame() -> None:
    """Everything every page does first, in this order (each step says why it comes where it does)."""
    configure_runtime()
    notices = st.container()  # on every run, so the lines said once below (`notice`) move nothing under them
    get_settings()  # read the link once per session, saying what could not be used
    language_switch()
    projector_switch()
    read_class_links()  # a class code or a teacher key, before the address bar is rewritten
    open_linked_run()  # a saved run's link: that run, with its settings
    sync_url()  # page switches drop the query string: put the settings back
    classroom_style()
    share = st.sidebar.container()  # its place; drawn once the class box has rejoined the class it links to
    show_news()
    class_box()
    share_box(share)
    write_cookies()
    fold_sidebar_on_a_phone()
    show_notices(notices)
