"""Class: create a class, and its teacher's board: every run of the class, live, for the projector."""
import streamlit as st

from fcviz.i18n import _
from ui import store as db
from ui.classes.board import teachers_board
from ui.classes.teacher import create_form, keeping, links, my_classes, teacher_access
from ui.frame import frame

frame()
st.title(_("Class"))
s = db.store()
if s is None:
    st.warning(_("The class board needs the class database, which cannot be reached now. Training and every "
                 "other page still work."))
    st.stop()

access = teacher_access(s)
if access is None:
    create_form(s)
    st.stop()
code, key = access
my_classes(s, code)
links(code, key)
teachers_board(s, code, key)
keeping(s, code, key)
