"""fcviz: a playground for fully connected (Dense) neural networks. Run: streamlit run app.py"""
import streamlit as st

from ui.navigation import navigation
from ui.runtime import configure_runtime

configure_runtime()
st.set_page_config(page_title="fcviz · fully connected networks", page_icon="🧠", layout="wide")
navigation().run()
