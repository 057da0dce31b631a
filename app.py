"""fcviz: a playground for fully connected (Dense) neural networks. Run: streamlit run app.py"""
import streamlit as st

from fcviz.i18n import _
from ui.navigation import navigation
from ui.runtime import configure_runtime
from ui.session import get_settings

configure_runtime()
get_settings()  # the session's language, before anything is named in it
st.set_page_config(page_title=_("fcviz · fully connected networks"), page_icon="🧠", layout="wide")
navigation().run()
