"""`fcviz.patches.look_up_one_key`: the session state a widget looks its own key up in is Streamlit's, one key at a
time."""
import numpy as np
import pytest
from streamlit.runtime.state import session_state as ss


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b))
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001  (values that cannot be compared: then the same object)
        return a is b


@pytest.mark.parametrize("page", ["pages/build.py", "pages/train.py", "pages/draw.py", "pages/class.py"])
def test_every_key_reads_as_streamlits_whole_dict_has_it(open_app, page):
    """After real pages ran (sliders, number boxes, select boxes and text boxes with keys, values the session set before
    their widgets, keyless widgets, components' state): every key of Streamlit's whole dict is in the view with the same
    value, and nothing else is (element ids, internal keys, keys never set)."""
    at = open_app("pages/build.py")
    at.switch_page(page).run()
    state = at._session_state._state
    view = state.filtered_state
    assert type(view).__name__ == "FilteredState"  # the app applied the patch
    whole = dict(view)  # iterating it builds Streamlit's own dict
    assert len(whole) > 10
    for key, value in whole.items():
        assert key in view and _same(view[key], value), key
    others = [k for k in state._keys() if k not in whole] + ["never set", ss.STREAMLIT_INTERNAL_KEY_PREFIX + "x", 3]
    assert any(ss.is_element_id(k) for k in others)  # keyless widgets' ids: not in the dict, not in the view
    for key in others:
        assert key not in view
        with pytest.raises(KeyError):
            view[key]
