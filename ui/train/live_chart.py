"""The Train page's chart while a training runs: the figure goes to the browser once, then only the points that
arrived since the last tick (`fcviz.plots.live`), which a small component appends to the chart it holds with
plotly.js. The component asks the live feed for them itself (`live_feed`, with the progress line, the numbers and the
reading's warnings), or, where the feed is not served, Streamlit sends them (`live_chart`). The finished run's chart
is the page's usual one (`ui.chart.chart`)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import plotly
import streamlit as st
from streamlit.components.v1 import declare_component

from fcviz import i18n
from fcviz.plots.live import frame
from fcviz.plots.plain import enlarged
from fcviz.plots.style import EXPLORE
from fcviz.train.diagnosis import Diagnosis
from fcviz.train.training import Run
from ui import keys
from ui.session import get_settings
from ui.train import feed

PLOTLY_JS = Path(plotly.__file__).parent / "package_data"  # plotly.js as the plotly package ships it
BROWSER = Path(__file__).parent / "browser"  # the chart's own code, live_chart.js
# named by its content, so that a browser never keeps an older one from its cache
VERSION = hashlib.sha256((BROWSER / "live_chart.js").read_bytes()).hexdigest()[:12]
# The component's own code is sent with every message, so it is a few lines that load the chart's code once: the
# whole of it in every message was 4 kB, ten times the new points.
_live_chart = st.components.v2.component("fcviz_live_chart", js="""
export default async function (component) {
  const chart = await import(new URL(component.data.code, document.baseURI).href);
  return chart.render(component);
}""", isolate_styles=False)  # plotly.js puts its styles (hover labels, tool bar) in the page's head


@st.cache_resource(show_spinner=False)
def _served() -> tuple[str, str]:
    """The names under which the server serves plotly.js and the chart's code (under /component/), registered once
    (registering looks up the caller's module: 2 ms of every tick)."""
    return (declare_component("plotly_js", path=str(PLOTLY_JS)).name,
            declare_component("live_chart_js", path=str(BROWSER)).name)


def forget_live_chart() -> None:
    """The browser's chart is drawn anew (a whole page run, or the chart asked): its next message is the figure."""
    st.session_state.pop(keys.TRAIN_LIVE_SHOWN, None)


def live_chart(run: Run, epochs: list, batches: list, diagnosis: Diagnosis) -> None:
    """The live chart of `run` with the `epochs` and `batches` it has so far."""
    plotly_js, code = _served()
    classroom = get_settings().classroom
    message, shown = frame(run.id, epochs, batches, diagnosis, st.session_state.get(keys.TRAIN_LIVE_SHOWN),
                           make=(i18n.current(), classroom), dress=enlarged if classroom else None)
    st.session_state[keys.TRAIN_LIVE_SHOWN] = shown
    message["code"] = f"component/{code}/live_chart.js?v={VERSION}"
    if "figure" in message:
        message |= {"plotly": f"component/{plotly_js}/plotly.min.js", "config": EXPLORE}
    _live_chart(key=keys.TRAIN_LIVE, data=message, on_resync_change=forget_live_chart)


def live_feed(token: str, redraw: int | None) -> None:
    """The progress line, the live chart, the last epoch's numbers and the reading's warnings of the training whose
    feed is `token`, drawn by the browser, which asks the feed for what is new once every `feed.FEED_SECONDS`; it
    runs the live part again when the feed's `redraw` changes from the one drawn now ("redraw") and once the training
    has ended ("ended")."""
    plotly_js, code = _served()
    _live_chart(key=keys.TRAIN_LIVE, data={
        "code": f"component/{code}/live_chart.js?v={VERSION}", "plotly": f"component/{plotly_js}/plotly.min.js",
        "config": EXPLORE, "feed": f"{feed.PATH}/{token}", "every": int(feed.FEED_SECONDS * 1000),
        "redraw": redraw}, on_redraw_change=_asked, on_ended_change=_asked)


def _asked() -> None:
    """The tab asked for the live part again (its trigger reruns it)."""
