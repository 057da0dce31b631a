"""fcviz: a playground for fully connected (Dense) neural networks. Run: streamlit run app.py"""
import streamlit as st

from ui.runtime import configure_runtime

st.set_page_config(page_title="fcviz · fully connected networks", page_icon="🧠", layout="wide")
configure_runtime()

pages = [
    st.Page("pages/build.py", title="Build", icon=":material/account_tree:", default=True),
]
st.navigation(pages).run()
