"""fcviz: a playground for fully connected (Dense) neural networks. Run: streamlit run app.py"""
import streamlit as st

from ui.runtime import configure_runtime

configure_runtime()
st.set_page_config(page_title="fcviz · fully connected networks", page_icon="🧠", layout="wide")
st.navigation([
    st.Page("pages/build.py", title="Build", icon=":material/account_tree:", default=True),
    st.Page("pages/train.py", title="Train", icon=":material/monitoring:"),
    st.Page("pages/draw.py", title="Draw", icon=":material/draw:"),
    st.Page("pages/inside.py", title="Inside", icon=":material/functions:"),
]).run()
