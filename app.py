"""fcviz: a playground for fully connected (Dense) neural networks. Run: streamlit run app.py"""

# Streamlit runs this file as the module __main__, and the training engine's worker processes are
# started with multiprocessing's "spawn", which imports the parent's __main__ again (as __mp_main__)
# in every new worker. Without this guard each worker ran the whole app: it tried to start an engine
# of its own inside a daemonic process ("daemonic processes are not allowed to have children"), and
# sometimes never became ready, so a training waited for a worker that never came.
if __name__ == "__main__":
    import streamlit as st

    from fcviz.i18n import _
    from ui.clicks import forget_unclaimed
    from ui.first_paint import first_paint
    from ui.navigation import navigation
    from ui.runtime import configure_runtime
    from ui.session import get_settings

    configure_runtime()
    get_settings()  # the session's language, before anything is named in it
    st.set_page_config(page_title=_("fcviz · fully connected networks"), page_icon="🧠", layout="wide")
    with first_paint():  # a new visitor's numbers first, the charts a moment later
        navigation().run()
    forget_unclaimed()  # (a run cut short keeps its clicks for the next)
