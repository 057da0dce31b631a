"""A minimal Streamlit client that speaks the browser's websocket protocol, for load tests.

A real Chromium page costs seconds of CPU to open (Streamlit's and plotly's JavaScript); thirty
of them on a 2-core machine measure the browsers, not the server. This client sends what the
browser sends (`BackMsg` protobufs: reruns with widget states, button triggers, page switches,
fragment timers) and reads what the server answers (`ForwardMsg` deltas), so thirty students
cost the server what thirty laptops would, and almost nothing on this side.
"""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field

import requests
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import DoubleArray, FileUploaderState, FileURLs, StringArray, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState


@dataclass
class Page:
    """What the last full run drew: elements by delta path, and widget ids by user key."""

    elements: dict[tuple, object] = field(default_factory=dict)
    widgets: dict[str, object] = field(default_factory=dict)  # user key (or label) -> element proto
    fragment_of: dict[str, str] = field(default_factory=dict)  # user key -> the fragment that drew it

    def texts(self) -> list[str]:
        out = []
        for element in self.elements.values():
            kind = element.WhichOneof("type")
            proto = getattr(element, kind)
            for attr in ("body", "label", "value"):
                value = getattr(proto, attr, None)
                if isinstance(value, str) and value:
                    out.append(value)
        return out

    def has(self, text: str) -> bool:
        return any(text in t for t in self.texts())

    def kinds(self) -> list[str]:
        return [e.WhichOneof("type") for e in self.elements.values()]


class Session:
    """One browser tab: its websocket, its widget values and the page it shows."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.page = Page()
        self.states: dict[str, WidgetState] = {}  # what the browser would send back: every widget's value
        self.pages: dict[str, str] = {}  # page name -> script hash
        self.page_hash = ""
        self.session_id = ""
        self.fragments: dict[str, float] = {}  # fragment id -> rerun interval (st.fragment(run_every=...))
        self.errors: list[str] = []
        self._finished = asyncio.Event()
        self._fragment_run = False
        self._reader: asyncio.Task | None = None
        self._http = requests.Session()

    async def open(self, query: str = "") -> None:
        for path in ("/", "/_stcore/health"):  # as a page load does; the health check sets the XSRF cookie
            await asyncio.to_thread(self._http.get, self.base + path, timeout=30)
        ws_url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        cookies = "; ".join(f"{k}={v}" for k, v in self._http.cookies.items())  # a browser sends them too
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60,
                                           additional_headers={"Cookie": cookies} if cookies else None)
        self._reader = asyncio.create_task(self._read())
        await self.rerun(query=query)

    async def close(self) -> None:
        await self.ws.close()
        if self._reader:
            await asyncio.gather(self._reader, return_exceptions=True)

    # ---- sending --------------------------------------------------------------------------
    async def rerun(self, triggers: dict[str, WidgetState] | None = None, query: str = "",
                    fragment_id: str = "", timeout: float = 300, timer: bool = True) -> None:
        """Send a rerun with every widget's value (plus one-shot triggers) and wait until it finishes; with a
        `fragment_id`, of that fragment only (its timer's, unless `timer` is False: a widget in it)."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_script_hash = self.page_hash
        state.fragment_id = fragment_id
        state.is_auto_rerun = bool(fragment_id) and timer
        state.context_info.url = self.base + "/"
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        widgets = {**self.states, **(triggers or {})}
        state.widget_states.widgets.extend(widgets.values())
        self._finished.clear()
        self._fragment_run = bool(fragment_id)
        await self.ws.send(msg.SerializeToString())
        await asyncio.wait_for(self._finished.wait(), timeout)
        if self.errors:
            raise RuntimeError(self.errors[0])

    def widget_id(self, key: str) -> str:
        if key not in self.page.widgets:
            raise KeyError(f"no widget {key!r} on the page; have {sorted(self.page.widgets)}")
        return self.page.widgets[key].id

    async def set(self, key: str, **value) -> None:
        """Set a widget (e.g. `double_array_value=DoubleArray(data=[3])`) and rerun, as a browser does."""
        ws = WidgetState(id=self.widget_id(key), **value)
        self.states[ws.id] = ws
        await self.rerun()

    async def slide(self, key: str, value: float) -> None:
        await self.set(key, double_array_value=DoubleArray(data=[value]))

    async def select_slide(self, key: str, label: str) -> None:
        """A select_slider, by the label of the stop (as the browser sends it)."""
        await self.set(key, string_array_value=StringArray(data=[label]))

    async def click(self, key: str) -> None:
        await self.rerun({"_": WidgetState(id=self.widget_id(key), trigger_value=True)})

    async def switch_page(self, name: str) -> None:
        self.page_hash = self.pages[name]
        self.states.clear()  # the browser forgets the widgets of the page it leaves
        await self.rerun()

    async def run_fragments(self) -> list[float]:
        """What the browser's timers do for `st.fragment(run_every=...)`: rerun each fragment once; the seconds
        each rerun took."""
        took = []
        for fragment_id, interval in list(self.fragments.items()):
            await asyncio.sleep(interval)
            start = time.perf_counter()
            await self.rerun(fragment_id=fragment_id)
            took.append(time.perf_counter() - start)
        return took

    async def trigger(self, key: str, event: str) -> None:
        """A custom (v2) component's trigger `event` (its JavaScript's `setTriggerValue`): its fragment runs again."""
        from streamlit.components.v2.bidi_component.main import _make_trigger_id  # (the browser's id for it)

        payload = json.dumps([{"event": event, "value": time.time() * 1000}])
        ws = WidgetState(id=_make_trigger_id(self.widget_id(key), "events"), json_trigger_value=payload)
        await self.rerun({"_": ws}, fragment_id=self.page.fragment_of.get(key, ""), timer=False)

    async def follow_feed(self, key: str) -> list[float]:
        """What the live chart's browser code does while a training runs (`ui/train/browser/live_chart.js`): ask
        its feed for what is new once every interval the page gives, have the live part run again when the
        feed says so ("redraw") and once the training has ended ("ended"); the seconds each answer took. Nothing
        when the component `key` follows no feed."""
        proto = self.page.widgets.get(key)
        data = json.loads(proto.json) if proto is not None and proto.json else {}
        if "feed" not in data:
            return []
        url, held, redraw, took = f"{self.base}/{data['feed']}", {}, data["redraw"], []
        while True:
            await asyncio.sleep(data["every"] / 1000)
            start = time.perf_counter()
            response = await asyncio.to_thread(self._http.get, url, params=held, timeout=60)
            took.append(time.perf_counter() - start)
            if response.status_code != 404:
                response.raise_for_status()
            m = {"gone": True} if response.status_code == 404 else response.json()
            if m.get("gone") or not m["active"]:
                await self.trigger(key, "ended")
                return took
            held = {"run": m["run"], "b": m["batches"], "e": m["epochs"]}
            if m["redraw"] != redraw:
                redraw = m["redraw"]
                await self.trigger(key, "redraw")

    async def upload(self, key: str, name: str, data: bytes) -> None:
        """Put a file where st.file_uploader finds it, then rerun with the uploader's new state."""
        file_id = uuid.uuid4().hex
        path = f"/_stcore/upload_file/{self.session_id}/{file_id}"
        token = self._http.cookies.get("_streamlit_xsrf", "")
        response = await asyncio.to_thread(self._http.put, self.base + path, files={"file": (name, data)},
                                           headers={"X-Xsrftoken": token}, timeout=60)
        response.raise_for_status()
        info = UploadedFileInfo(name=name, size=len(data), file_id=file_id,
                                file_urls=FileURLs(file_id=file_id, upload_url=path, delete_url=path))
        await self.set(key, file_uploader_state_value=FileUploaderState(uploaded_file_info=[info]))

    async def set_component(self, key: str, value: dict) -> None:
        """A custom (v2) component's state, as its JavaScript would report it."""
        await self.set(key, json_value=json.dumps(value))

    # ---- receiving ------------------------------------------------------------------------
    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg)
        except websockets.ConnectionClosed:
            pass
        finally:
            self._finished.set()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":  # sent when a script run starts
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            if not self._fragment_run:  # a fragment redraws only its part of the page
                self.page = Page()
                self.fragments.clear()  # a full run registers its timers again
        elif kind == "navigation":
            self.pages = {p.page_name: p.page_script_hash for p in msg.navigation.app_pages if not p.is_hidden}
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            self.page.elements[tuple(msg.metadata.delta_path)] = element
            proto = getattr(element, element.WhichOneof("type"))
            widget_id = getattr(proto, "id", "")
            if isinstance(widget_id, str) and widget_id.startswith("$$ID"):
                user_key = widget_id.split("-", 2)[-1] if widget_id.count("-") >= 2 else ""
                name = user_key if user_key and user_key != "None" else getattr(proto, "label", widget_id)
                self.page.widgets[name] = proto
                self.page.fragment_of[name] = msg.delta.fragment_id
            if element.WhichOneof("type") == "exception":
                self.errors.append(f"exception on the page: {element.exception.message}")
        elif kind == "auto_rerun":
            self.fragments[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            self.fragments.clear()
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self._fragment_run = False  # st.rerun(): the whole page runs next
            else:
                self._finished.set()

