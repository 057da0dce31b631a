"""The live feed: while a training runs, the tab that shows it asks the server once a second for what is new (a route
beside Streamlit's, `routes()`), and draws the progress line, the new points of the curves, the last epoch's numbers
and the reading's warnings itself (`ui/train/browser/live_chart.js`).

Before, Streamlit ran the page's live part once a second for every watching tab: a script run on the page server,
and, in each watching browser, Streamlit's work for every run (0.15 CPU s a second per tab, whatever changed on
screen; 0.06-0.07 with the feed); four classmates' tabs made another student's slider twice as slow on a 2-core
server. An answer here is a few hundred bytes made from what the training already holds; Streamlit runs the live part
again only while the gradients' chart, opened, follows the epochs, and the whole page once the training has ended.

A tab knows its feed by an unguessable token (`watch`), made for one session's view of one training: another
student's training cannot be read by guessing. The route is served when the app is started as `asgi.py` (`make run`,
the container, the tests' servers); a page run elsewhere (`streamlit run app.py`, AppTest) polls with Streamlit as
before (`served()`).

This module imports little: the launcher imports it before the server starts; what answers is imported on the first
request, by which time a page has imported it.
"""
from __future__ import annotations

import secrets
import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from fcviz.cache import Bounded

if TYPE_CHECKING:
    from fcviz.plots.live import Shown
    from fcviz.train.training import Trainer

PATH = "_fcviz/live"  # under the app's base URL: `_fcviz/live/<token>`
FEED_SECONDS = 1.0  # a watching tab asks this often (the page polled as often with Streamlit)
MAX_FEEDS = 1000  # tabs followed at once; the least recently asked dropped first (its tab asks the page again)
MAX_COUNT = 10**9  # the largest count of points a query may say it holds


@dataclass
class Feed:
    """One tab's view of one training: the training (weakly: a feed whose tab has gone never keeps a network in
    memory; the session and the training's own thread hold it while they need it), the language and size the tab
    shows it in, what the tab's chart holds (`shown`), and the curves' reading for the epochs so far (made once per
    epoch, not once per answer)."""

    training: weakref.ref[Trainer]
    language: str
    classroom: bool
    follow: bool = False  # the tab shows each layer's gradients: its live part runs again at each epoch's end
    shown: Shown | None = None
    reading: tuple[Any, Any] | None = None  # (its key, the Diagnosis)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def trainer(self) -> Trainer | None:
        """The training, while anything else still holds it."""
        return self.training()


_feeds: Bounded[str, Feed] = Bounded(MAX_FEEDS)
_served = False


def served() -> bool:
    """Whether this server answers the feed's route (the app was started as `asgi.py`)."""
    return _served


def routes() -> list[Route]:
    """The feed's route, for `st.App(routes=...)`; from then on the Train page follows trainings through it."""
    global _served
    _served = True
    return [Route(f"/{PATH}/{{token}}", answer, methods=["GET"])]


def watch(trainer: Trainer, language: str, classroom: bool, follow: bool, token: str | None = None) -> str:
    """The token of a feed of `trainer` for one tab (`token`, the tab's feed of this training so far, is kept:
    the page's runs while it trains do not restart the tab's chart)."""
    feed = _feeds.get(token) if token else None
    if feed is None or feed.trainer is not trainer:
        token, feed = secrets.token_urlsafe(18), Feed(weakref.ref(trainer), language, classroom)
        _feeds.put(token, feed)
    feed.language, feed.classroom, feed.follow = language, classroom, follow
    return token


def _count(value: str | None) -> int:
    """A count from a query (the points a tab holds); -1 for anything but a plain number in range."""
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 10:  # ("²" is a digit to Python)
        return -1
    return min(int(value), MAX_COUNT)


def answer(request: Request) -> JSONResponse:
    """What is new since what the tab says its chart holds (`run`, `b` batch points, `e` epochs): the progress,
    the new points or the whole figure, the marks when they moved, the last epoch's numbers, the reading's warnings
    and when the page must run again (`ui.train.live.feed_message`); `gone` for a feed this server does not know (its
    tab then asks the page)."""
    from ui.train.live import feed_message  # (a page has imported it by the time a tab asks)

    token = request.path_params["token"]
    feed = _feeds.get(token)
    if feed is None or feed.trainer is None:
        return JSONResponse({"gone": True}, status_code=404, headers={"Cache-Control": "no-store"})
    query = request.query_params
    held = (query.get("run", "")[:64], _count(query.get("b")), _count(query.get("e")))
    with feed.lock:  # (one tab asks once at a time; a second answer at once would only repeat the first)
        message = feed_message(feed, held)
    if not message["active"]:
        _feeds.drop(token)  # the tab asks the page for the finished run now
    return JSONResponse(message, headers={"Cache-Control": "no-store"})
