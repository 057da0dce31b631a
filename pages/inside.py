"""Inside: the lecture's math for the current network, live: X @ W + b, softmax, numpy vs Keras, lazy build."""
import numpy as np
import streamlit as st

from fcviz.i18n import _
from fcviz.net.forward import forward
from ui.frame import frame
from ui.inside.code import lazy_build, numpy_vs_keras
from ui.inside.layers import layer_by_layer, softmax_and_argmax
from ui.inside.network import network_input, shown_network
from ui.inside.shapes_lab import naive_loops, shapes_lab
from ui.inside.weights import activations, weights
from ui.session import get_spec, last_drawing
from ui.widgets import preset_buttons

frame()  # first, on every run: settings from the link, classroom view, share box

spec = get_spec()
st.title(_("Inside the network"))
st.markdown(_("A fully connected layer is **`out = f(X @ W + b)`**. Here it is with your network's real shapes "
              "and numbers, then the same forward pass in plain numpy, and how Keras creates `W` and `b`."))
st.markdown(_("**Networks from the lecture**"))
preset_buttons("inside", spec)

network = shown_network(spec)
x, labels = network_input(spec, last_drawing())
outputs = forward(network.layers, x)

layer_by_layer(network.layers, outputs, x, network.trained)
softmax_and_argmax(network.layers, outputs, labels, network.classes)
numpy_vs_keras(outputs, np.asarray(network.model(x, training=False)))
shapes_lab()
naive_loops()
lazy_build()
weights(network.layers)
activations(network.layers, outputs)
