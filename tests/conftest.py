from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


@pytest.fixture
def new_app():
    """A fresh AppTest of the whole app (not yet run); pages that import TensorFlow need a long timeout."""
    return lambda: AppTest.from_file(APP, default_timeout=90)
