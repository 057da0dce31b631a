"""The Draw page's canvas and what the network reads in the drawing: the 28×28 image it sees, its prediction
with the second guess, the probabilities, and each hidden layer's outputs as a clickable strip."""
from __future__ import annotations

import html

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from fcviz.data.mnist import DIGITS
from fcviz.data.preprocess import canvas_to_mnist
from fcviz.i18n import _, percent
from fcviz.net.forward import DenseWeights, LayerOutput
from fcviz.net.model import layer_title
from fcviz.plots.charts import activation_strip, pixel_image, probability_bars
from fcviz.plots.style import STATIC, WARN
from fcviz.train.training import Run
from ui import keys
from ui.chart import chart
from ui.clicks import pressed
from ui.handwriting import Handwriting, handwriting_line, offer_drawing
from ui.picks import clickable_strip_picks

PEN_WIDTH = 22  # canvas pixels: about as thick, scaled to 28×28, as MNIST's strokes
UNSURE = 0.6  # a top probability below this asks "is it a … or a …?"


# On a phone the columns stack: the prediction comes right after the canvas (before the 28×28 view), so the drawing
# and what the network reads in it share the first screen (with the smaller title every page has there).
PHONE_CSS = f"""<style>
@media (max-width: 640px) {{
  [data-testid="stLayoutWrapper"]:has(> .st-key-{keys.DRAW_READING}) {{ order: 2; }}
  [data-testid="stLayoutWrapper"]:has(> .st-key-{keys.DRAW_SEES}) {{ order: 3; }}
}}
</style>"""


def drawing_columns() -> tuple[DeltaGenerator, DeltaGenerator, DeltaGenerator]:
    """The page's three columns (canvas, what the network sees, its reading), as fixed widths that wrap on a
    narrow screen (or in the classroom view's bigger text): columns would squeeze the 280-pixel canvas and cut
    off part of the drawing."""
    st.html(PHONE_CSS)
    with st.container(horizontal=True, wrap=True, gap="medium"):
        return (st.container(width=290, key=keys.DRAW_CANVAS_COLUMN), st.container(width=230, key=keys.DRAW_SEES),
                st.container(width="stretch", key=keys.DRAW_READING))


def canvas(column: DeltaGenerator) -> np.ndarray | None:
    """The canvas with its Clear button and pen width, in `column`; the drawing as MNIST would have it, or None."""
    from streamlit_drawable_canvas import st_canvas  # (only importable inside a running app)

    st.session_state.setdefault(keys.DRAW_CANVAS_N, 0)
    with column:
        st.markdown(_("**Your drawing**"))
        drawn = st_canvas(
            stroke_width=st.session_state.get(keys.DRAW_STROKE, PEN_WIDTH), stroke_color="#FFFFFF",
            background_color="#000000", height=280, width=280, drawing_mode="freedraw", return_image_data=True,
            key=keys.canvas(st.session_state[keys.DRAW_CANVAS_N]),
        )
        with st.container(horizontal=True, vertical_alignment="bottom"):  # side by side on a phone too
            if pressed(_("Clear"), icon=":material/delete:", key=keys.DRAW_CLEAR):
                st.session_state[keys.DRAW_CANVAS_N] += 1
                st.rerun()
            st.slider(_("Pen width"), 8, 36, PEN_WIDTH, key=keys.DRAW_STROKE)
    try:
        return canvas_to_mnist(drawn.image_data)
    except ValueError as e:  # an unexpected canvas image: say so instead of a traceback
        st.error(_("Could not read the canvas: {reason}").format(reason=e))
        return None


def nothing_drawn(column: DeltaGenerator, run: Run, layers: list[DenseWeights]) -> None:
    """In `column` before anything is drawn: what to do (and which unit a click on the Build page chose)."""
    with column:
        st.info(_("Draw a digit from 0 to 9 in the black square. The prediction appears when you lift the pen.")
                if run.classes == DIGITS else
                _("Draw something in the black square: this network reads it as one of its 10 kinds of clothing. "
                  "The prediction appears when you lift the pen."))
        if (picked := st.session_state.get(keys.BUILD_PICKED)) is not None and picked[0] < len(layers):
            st.info(_("Draw a digit to see the own sum of unit {unit} of {layer}, the one you clicked.").format(
                unit=picked[1], layer=layer_title(layers[picked[0]].name)))


def clothes_warning(run: Run) -> None:
    """A network trained on clothes reads every drawing as clothing: say so."""
    if run.classes != DIGITS:
        st.warning(_("This network was trained on clothes (Fashion-MNIST): it reads any drawing as one of its 10 "
                     "kinds of clothing, never as a digit. Train it on MNIST to read digits."))


def what_it_sees(column: DeltaGenerator, image: np.ndarray) -> None:
    """The 28×28 image the network reads, in `column`."""
    with column:
        st.markdown(_("**What the network sees** (28×28)"))
        chart(pixel_image(image, 224), config=STATIC, key=keys.DRAW_PIXELS)
        st.caption(_("Centred by its centre of mass, as MNIST's digits are: a 7's heavy bar pulls it down, so its stem "
                     "can touch the edge. Nothing is cut off."))  # (a walk read the stem as cut)


def prediction(column: DeltaGenerator, run: Run, layers: list[DenseWeights], image: np.ndarray, probs: np.ndarray,
               names: list[str], found: Handwriting | None) -> int:
    """In `column`: the prediction, big, with the second guess and the probabilities; the drawing offered as a
    test digit, and the handwriting line (`found`: the class's set). The predicted class."""
    order = np.argsort(probs)[::-1]
    top, second = int(order[0]), int(order[1])
    with column:
        word, second_guess = _("Prediction"), _("second guess")  # (Babel reads no calls inside f-strings)
        st.markdown(f"<div data-testid='fcviz-prediction' style='font-size:1.1rem;line-height:1.2'>{word} "
                    f"<span style='font-size:{3.2 if len(names[top]) < 3 else 2.0}rem;font-weight:700;color:{WARN}'>"
                    f"{html.escape(names[top])}</span> "
                    f"<span style='font-size:1.4rem'>{percent(probs[top], 0)}</span><br>{second_guess} "
                    f"<b>{html.escape(names[second])}</b> ({percent(probs[second], 0)})</div>",
                    unsafe_allow_html=True)
        if probs[top] < UNSURE:
            st.warning(_("Not sure: is it a {top} or a {second}?").format(top=names[top], second=names[second]))
        chart(probability_bars(probs, run.classes), config=STATIC, key=keys.DRAW_PROBS)
        offer_drawing(image, top)
        handwriting_line(layers, run.evaluation.accuracy if run.evaluation else None, found)
    return top


def hidden_strips(layers: list[DenseWeights], outputs: list[LayerOutput]) -> None:
    """Each hidden layer's outputs for this drawing, one clickable cell per unit."""
    hidden = outputs[:-1]
    if not hidden:
        return
    st.subheader(_("Inside the network for this drawing"))
    st.caption(_("Each cell is one unit of a hidden layer: `h = f(X @ W + b)`. Darker means a larger output; "
                 "with relu, white cells are units switched off (0). Click a cell to see that unit's own sum."))
    chosen = st.session_state.get(keys.DRAW_LAYER), st.session_state.get(keys.DRAW_UNIT)
    for i, out in enumerate(hidden):
        values = out.post[0]
        counts = _("{n} units · {active} active · largest {top:.2f}").format(
            n=len(values), active=int((values > 1e-6).sum()), top=values.max())
        st.markdown(f"**{layer_title(out.name)}** · {layers[i].activation} · {counts}")
        chart(activation_strip(values, chosen=chosen[1] if chosen[0] == i else None), config=STATIC,
                        key=keys.activations(i), on_select=clickable_strip_picks(i), selection_mode="points")
