"""A click is done once, also when the run that followed it was cut short before it reached its button (`ui.clicks`).

Streamlit's own rerun that interrupts a run cannot be timed in AppTest; what the click's callback leaves behind when
it happens (the button's key kept in `keys.PRESSED`) is set here by hand, as the callback sets it."""
from streamlit.testing.v1 import AppTest

from ui import keys


def _page() -> None:
    import streamlit as st

    from ui.clicks import forget_unclaimed, pressed

    st.session_state.setdefault("done", 0)
    if st.session_state.get("drawn", True) and pressed("Go", key="go", disabled=st.session_state.get("off", False)):
        st.session_state.done += 1
    forget_unclaimed()


def _app() -> AppTest:
    at = AppTest.from_function(_page)
    at.run()
    return at


def test_a_click_is_done_once():
    at = _app()
    at.button(key="go").click().run()
    assert at.session_state.done == 1
    at.run()
    assert at.session_state.done == 1


def test_a_click_whose_run_was_cut_short_is_done_in_the_next_run_and_only_there():
    at = _app()
    at.session_state[keys.PRESSED] = {"go"}  # the callback ran; the run it started never reached the button
    at.run()
    assert at.session_state.done == 1
    at.run()
    assert at.session_state.done == 1


def test_a_kept_click_is_dropped_when_a_whole_run_does_not_draw_its_button():
    at = _app()
    at.session_state["drawn"] = False  # the student went to another page
    at.session_state[keys.PRESSED] = {"go"}
    at.run()
    at.session_state["drawn"] = True  # back: the old click is not done now
    at.run()
    assert at.session_state.done == 0


def test_a_kept_click_on_a_button_now_disabled_is_dropped():
    at = _app()
    at.session_state["off"] = True  # say Train, while the training the page started meanwhile runs
    at.session_state[keys.PRESSED] = {"go"}
    at.run()
    at.session_state["off"] = False
    at.run()
    assert at.session_state.done == 0
