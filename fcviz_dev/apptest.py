"""Small helpers for AppTest page tests."""
from __future__ import annotations

import time
from typing import Callable


def run_until(at, done: Callable[[object], bool], timeout: float = 120) -> None:
    """Rerun the page until `done(at)`: AppTest does not run fragments' timers, so poll by rerunning."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        at.run()
        assert not at.exception
        if done(at):
            return
        time.sleep(0.2)
    raise AssertionError("condition not reached in time")


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def on_device(new_app, device: str, page: str, query: dict | None = None):
    """A new session of the same browser (a reload, a typed address, a new tab): its device token comes from
    its cookie, here set as the session's; `page` opened directly, by its own address."""
    from ui import keys

    at = new_app()
    at.session_state[keys.DEVICE] = device
    if query:
        at.query_params.update(query)
    at.switch_page(page).run()
    assert not at.exception
    return at


def shared_links(at) -> list[str]:
    """The sidebar's "Share this setting" link, with the box opened (it makes its link only when open)."""
    from ui import keys

    at.session_state[keys.SHARE_OPEN] = True
    at.run()
    assert not at.exception
    return [c.value for c in at.code if "units=" in c.value]
