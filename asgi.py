"""The app as a class gets it: app.py's pages, and beside them the live feed of trainings (`ui.train.feed`).

`streamlit run asgi.py` serves it (serve.py, so `make run` and the container, and the tests' app servers start it
this way); `streamlit run app.py` serves the same pages without the feed (a training's curves then cost the server a
script run a second for every tab that watches them).
"""
import streamlit as st

from ui.train import feed

app = st.App("app.py", routes=feed.routes())
