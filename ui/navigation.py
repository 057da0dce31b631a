"""The app's pages, named once: app.py builds the navigation from them, links are made against them."""
from __future__ import annotations

import streamlit as st

from fcviz.i18n import N_, _

PAGES = (  # (script, title, icon, url path)
    ("pages/build.py", N_("Build"), ":material/account_tree:", "build"),
    ("pages/train.py", N_("Train"), ":material/monitoring:", "train"),
    ("pages/draw.py", N_("Draw"), ":material/draw:", "draw"),
    ("pages/inside.py", N_("Inside"), ":material/functions:", "inside"),
    ("pages/class.py", N_("Class"), ":material/groups:", "class"),
)


def navigation():
    return st.navigation([st.Page(script, title=_(title), icon=icon, url_path=path, default=i == 0)
                          for i, (script, title, icon, path) in enumerate(PAGES)])


def app_root() -> str:
    """The app's own address (without page or query), for links a user copies."""
    url = st.context.url if isinstance(st.context.url, str) else ""  # (none in AppTest)
    url = url.split("?")[0].rstrip("/")
    head, _, last = url.rpartition("/")
    return head if last in {path for *_, path in PAGES} else url
