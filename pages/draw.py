"""Draw: a digit on a canvas, read live by the trained network through MNIST-faithful preprocessing."""
import html

import numpy as np
import streamlit as st

from fcviz.data.mnist import DIGITS, N_PIXELS
from fcviz.data.preprocess import canvas_to_mnist
from fcviz.i18n import _, percent
from fcviz.net.forward import forward
from fcviz.plots.charts import activation_strip, class_names, pixel_image, probability_bars
from fcviz.plots.style import STATIC, WARN
from ui import keys
from ui.handwriting import handwriting_line, my_digits_gallery, offer_drawing, our_handwriting
from ui.draw.explain import pixel_effects, unit_sum_view
from ui.picks import clickable_strip_picks
from ui.draw.finetune import finetune_box
from ui.frame import frame
from ui.models import model_or_offer, show_upload
from ui.runs import training_now
from ui.session import remember_drawing
from ui.timetravel import layers_of, travel

frame()  # first, on every run: settings from the link, classroom view, share box

PEN_WIDTH = 22  # canvas pixels: about as thick, scaled to 28×28, as MNIST's strokes

st.title(_("Draw a digit"))
st.caption(_("The network reads your drawing the way MNIST was made: the ink is cropped, scaled to fit 20×20 "
             "keeping its shape, and centred by its centre of mass in a 28×28 image."))

run = model_or_offer("draw")
if run is None:
    st.stop()

from streamlit_drawable_canvas import st_canvas  # noqa: E402  (only importable inside a running app)

if training_now():
    st.info(_("Training is still running: predictions use the weights learned so far."))
snapshot = travel(run, "draw")
layers = layers_of(run, snapshot)

st.session_state.setdefault(keys.DRAW_CANVAS_N, 0)
# Fixed widths that wrap on a narrow screen (or in the classroom view's bigger text): columns would
# squeeze the 280-pixel canvas and cut off part of the drawing.
with st.container(horizontal=True, wrap=True, gap="medium"):
    left, middle, right = st.container(width=290), st.container(width=230), st.container(width="stretch")
with left:
    st.markdown(_("**Your drawing**"))
    canvas = st_canvas(
        stroke_width=st.session_state.get(keys.DRAW_STROKE, PEN_WIDTH), stroke_color="#FFFFFF", background_color="#000000",
        height=280, width=280, drawing_mode="freedraw", return_image_data=True,
        key=keys.canvas(st.session_state[keys.DRAW_CANVAS_N]),
    )
    c1, c2 = st.columns([1, 1.3])
    if c1.button(_("Clear"), icon=":material/delete:", key=keys.DRAW_CLEAR):
        st.session_state[keys.DRAW_CANVAS_N] += 1
        st.rerun()
    c2.slider(_("Pen width"), 8, 36, PEN_WIDTH, key=keys.DRAW_STROKE)

try:
    image = canvas_to_mnist(canvas.image_data)
except ValueError as e:  # an unexpected canvas image: say so instead of a traceback
    st.error(_("Could not read the canvas: {reason}").format(reason=e))
    image = None

if image is None:
    with middle:
        st.info(_("Draw a digit from 0 to 9 in the black square. The prediction appears when you lift the pen."))
        if (picked := st.session_state.get(keys.BUILD_PICKED)) is not None and picked[0] < len(layers):
            st.info(_("Draw a digit to see the own sum of unit {unit} of {layer}, the one you clicked.").format(
                unit=picked[1], layer=layers[picked[0]].name))
    my_digits_gallery(layers)
    finetune_box(run, our_handwriting())
    st.stop()

remember_drawing(image)
found = our_handwriting()  # the class's set (a database read): once per run, for the line and the fine-tune
x = image.reshape(1, N_PIXELS)
outputs = forward(layers, x)
probs = outputs[-1].post[0]
order = np.argsort(probs)[::-1]
top, second = int(order[0]), int(order[1])
names = class_names(run.classes)
if run.classes != DIGITS:
    st.warning(_("This network was trained on clothes (Fashion-MNIST): it reads any drawing as one of its 10 kinds "
                 "of clothing, never as a digit. Train it on MNIST to read digits."))

with middle:
    st.markdown(_("**What the network sees** (28×28)"))
    st.plotly_chart(pixel_image(image, 224), config=STATIC, key="draw_pixels")
with right:
    prediction, second_guess = _("Prediction"), _("second guess")  # (Babel reads no calls inside f-strings)
    st.markdown(f"<div data-testid='fcviz-prediction' style='font-size:1.1rem;line-height:1.2'>{prediction} "
                f"<span style='font-size:{3.2 if len(names[top]) < 3 else 2.0}rem;font-weight:700;color:{WARN}'>"
                f"{html.escape(names[top])}</span> "
                f"<span style='font-size:1.4rem'>{percent(probs[top], 0)}</span><br>{second_guess} "
                f"<b>{html.escape(names[second])}</b> ({percent(probs[second], 0)})</div>", unsafe_allow_html=True)
    if probs[top] < 0.6:
        st.warning(_("Not sure: is it a {top} or a {second}?").format(top=names[top], second=names[second]))
    st.plotly_chart(probability_bars(probs, run.classes), config=STATIC, key="draw_probs")
    offer_drawing(image, top)
    handwriting_line(layers, run.evaluation.accuracy if run.evaluation else None, found)

pixel_effects(layers, outputs, image, top, names)

hidden = outputs[:-1]
if hidden:
    st.subheader(_("Inside the network for this drawing"))
    st.caption(_("Each cell is one unit of a hidden layer: `h = f(X @ W + b)`. Darker means a larger output; "
                 "with relu, white cells are units switched off (0). Click a cell to see that unit's own sum."))
    chosen = st.session_state.get(keys.DRAW_LAYER), st.session_state.get(keys.DRAW_UNIT)
    for i, out in enumerate(hidden):
        values = out.post[0]
        counts = _("{n} units · {active} active · largest {top:.2f}").format(
            n=len(values), active=int((values > 1e-6).sum()), top=values.max())
        st.markdown(f"**{out.name}** · {layers[i].activation} · {counts}")
        st.plotly_chart(activation_strip(values, chosen=chosen[1] if chosen[0] == i else None), config=STATIC,
                        key=keys.activations(i), on_select=clickable_strip_picks(i), selection_mode="points")
unit_sum_view(layers, outputs, x)

my_digits_gallery(layers)
finetune_box(run, found)
with st.expander(_("Use another model")):
    show_upload(keys.upload("draw_other"))
