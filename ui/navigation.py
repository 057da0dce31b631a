"""The app's pages, named once: app.py builds the navigation from them, pages switch and link to them by these
names, and every address a user copies is made here (`link`)."""
from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlencode

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from fcviz.i18n import N_, _
from ui import keys


class Page(NamedTuple):
    """One page: its script, its title in the navigation, its icon and its url path."""

    script: str
    title: str
    icon: str
    path: str


BUILD = Page("pages/build.py", N_("Build"), ":material/account_tree:", "build")
TRAIN = Page("pages/train.py", N_("Train"), ":material/monitoring:", "train")
DRAW = Page("pages/draw.py", N_("Draw"), ":material/draw:", "draw")
INSIDE = Page("pages/inside.py", N_("Inside"), ":material/functions:", "inside")
CLASS = Page("pages/class.py", N_("Class"), ":material/groups:", "class")
PAGES = (BUILD, TRAIN, DRAW, INSIDE, CLASS)  # in the navigation's order; the first is the default


def _to_the_root() -> None:
    """The first page's own address (`/build`, typed after its name in the navigation): Streamlit serves the default
    page at the app's root only, and a browser opening `/build` sometimes showed "Page not found" over it. Go to the
    root with the same settings."""
    st.switch_page(PAGES[0].script, query_params=st.query_params.to_dict())


def navigation() -> StreamlitPage:
    """The app's navigation (app.py runs it): every page, in its title of the session's language, and the first
    page's own address as a hidden page that goes to the root, where Streamlit serves the first page."""
    first = PAGES[0]
    pages = [st.Page(page.script, title=_(page.title), icon=page.icon, url_path=page.path if i else f"{page.path}-root",
                     default=i == 0) for i, page in enumerate(PAGES)]
    return st.navigation([*pages, st.Page(_to_the_root, title=_(first.title), url_path=first.path,
                                          visibility="hidden")])


def fold_sidebar_on_a_phone() -> None:
    """A few lines of script in the sidebar: on a screen too narrow for the sidebar beside the page (a phone, where it
    covers three quarters of the page), a tap on a page in it folds it away once the page is chosen. Streamlit left
    it open over the new page, which the student then had to close by hand."""
    with st.sidebar:
        _sidebar_folder(key=keys.SIDEBAR_FOLDER, data={"narrower": SIDEBAR_OVER_PAGE_PX})


SIDEBAR_OVER_PAGE_PX = 768  # below this width Streamlit lays the open sidebar over the page (its "md" breakpoint)
_sidebar_folder = st.components.v2.component("fcviz_sidebar_folder", js="""
export default function (component) {
  if (window.fcvizFoldsSidebar) return;  // once per page: the listener stays while the app does
  window.fcvizFoldsSidebar = true;
  const { narrower } = component.data;
  document.addEventListener("click", (event) => {
    if (innerWidth >= narrower || !event.target.closest("[data-testid=stSidebarNav] a")) return;
    setTimeout(() => document.querySelector("[data-testid=stSidebarCollapseButton] button")?.click(), 0);
  }, true);
}""", isolate_styles=False)  # (no styles of its own: no shadow root to make)


def _address() -> str:
    """The address on show, without its query or a trailing slash ("" in AppTest, which has none)."""
    url = st.context.url if isinstance(st.context.url, str) else ""
    return url.split("?")[0].rstrip("/")


def app_root() -> str:
    """The app's own address (without page or query), for links a user copies."""
    url = _address()
    head, _, last = url.rpartition("/")
    return head if last in {page.path for page in PAGES} else url


def page_on_show() -> Page | None:
    """The page on show, by its address (None: the app's root, the default page)."""
    last = _address().rpartition("/")[2]
    return next((page for page in PAGES if page.path == last), None)


def shared_page() -> Page | None:
    """The page a shared setting opens: the one on show, but never the Class page (a student opening it would
    land on the teacher's side): then the default page (None)."""
    page = page_on_show()
    return None if page == CLASS else page


def link(page: Page | None, query: dict[str, str]) -> str:
    """The address a user copies to open `page` (None: the app's default page) with `query`."""
    return f"{app_root()}/{page.path if page else ''}?{urlencode(query)}"
