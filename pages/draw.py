"""Draw: a digit on a canvas, read live by the trained network through MNIST-faithful preprocessing."""
import streamlit as st

from fcviz.data.mnist import N_PIXELS
from fcviz.i18n import _
from fcviz.net.forward import forward
from fcviz.plots.charts import class_names
from ui import keys
from ui.draw.explain import pixel_effects, unit_sum_view
from ui.draw.finetune import finetune_box
from ui.draw.reading import (
    canvas,
    clothes_warning,
    drawing_columns,
    hidden_strips,
    nothing_drawn,
    prediction,
    what_it_sees,
)
from ui.folds import folded
from ui.frame import frame
from ui.handwriting import my_digits_gallery, our_handwriting
from ui.models import model_or_offer, show_upload
from ui.runs import training_now
from ui.session import remember_drawing
from ui.timetravel import can_travel, layers_of, looking_back, travel

frame()  # first, on every run: settings from the link, classroom view, share box

st.title(_("Draw a digit"))
st.caption(_("The network reads your drawing the way MNIST was made: the ink is cropped, scaled to fit 20×20 "
             "keeping its shape, and centred by its centre of mass in a 28×28 image."))

run = model_or_offer("draw")
if run is None:
    st.stop()
if training_now():
    st.info(_("Training is still running: predictions use the weights learned so far."))
if can_travel(run):  # read the drawing with the network of an earlier epoch: folded away until used
    with folded(_("Time travel: read your drawing with the network from an earlier epoch"), keys.DRAW_TRAVEL_OPEN,
                expanded=looking_back(run)):
        layers = layers_of(run, travel(run, "draw"))
else:
    layers = layers_of(run, None)
clothes_warning(run)  # before anything is drawn: the canvas says "draw", the network knows clothes

left, middle, right = drawing_columns()
image = canvas(left)
if image is None:
    nothing_drawn(middle, run, layers)
    my_digits_gallery(layers)
    finetune_box(run, our_handwriting())
    st.stop()

remember_drawing(image)
found = our_handwriting()  # the class's set (a database read): once per run, for the line and the fine-tune
x = image.reshape(1, N_PIXELS)
outputs = forward(layers, x)
names = class_names(run.classes)
what_it_sees(middle, image)
top = prediction(right, run, layers, image, outputs[-1].post[0], names, found)
pixel_effects(layers, outputs, image, top, names)
hidden_strips(layers, outputs)
unit_sum_view(layers, outputs, x)

my_digits_gallery(layers)
finetune_box(run, found)
with folded(_("Use another model"), keys.OTHER_MODEL_OPEN):
    show_upload(keys.upload("draw_other"))
