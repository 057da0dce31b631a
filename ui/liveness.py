"""Whether the browser tab behind this script run is still connected.

A student who closes the tab mid-training should not keep a training slot (and a model in
memory) busy for the rest of the class. Streamlit keeps a closed tab's session around for a
while in case it reconnects, so a tab counts as gone only after `GRACE_SECONDS` away: a
network blip does not stop anybody's training.
"""
from __future__ import annotations

import os
import time
from typing import Callable

from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from fcviz import environment

GRACE_SECONDS = float(os.environ.get(environment.SESSION_GRACE, "10"))


def tab_still_open() -> Callable[[], bool]:
    """A check, safe to call from any thread, that says False once this session's tab has gone."""
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():  # AppTest and plain scripts: no tabs to lose
        return lambda: True
    runtime, session_id = Runtime.instance(), ctx.session_id
    gone_since: float | None = None

    def still_open() -> bool:
        nonlocal gone_since
        if runtime.is_active_session(session_id):
            gone_since = None
            return True
        gone_since = gone_since if gone_since is not None else time.monotonic()
        return time.monotonic() - gone_since < GRACE_SECONDS

    return still_open
