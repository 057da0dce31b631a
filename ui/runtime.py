"""Process-wide Streamlit settings that fcviz needs, applied once per server process."""
from __future__ import annotations

import gc

_done = False


def configure_runtime() -> None:
    """Stop Streamlit from calling `keras.backend.clear_session()` after every rerun.

    Streamlit does that to free Keras state, but it (1) runs a full `gc.collect()` over
    TensorFlow's huge heap, about 220 ms on every slider move, and (2) replaces Keras'
    global state under any model that is training in a background thread. fcviz keeps its
    models in session state and frees them itself, so the clean-up is not needed.
    """
    global _done
    if _done:
        return
    from streamlit.runtime.scriptrunner import script_runner

    script_runner._clean_problem_modules = lambda: None
    import fcviz.model  # noqa: F401  (TensorFlow, once, before freezing)

    gc.freeze()  # what is alive after start-up stays alive: keep it out of every later collection
    _done = True
