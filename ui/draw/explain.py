"""The Draw page's two looks behind one prediction: which pixels flip it, and one unit's own sum.

Both read the numpy forward pass the page already ran (`fcviz.net.neuron`), so the numbers shown are
the ones that made the prediction.
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from fcviz.data.mnist import IMAGE_SIDE, N_CLASSES
from fcviz.i18n import _
from fcviz.net.forward import DenseWeights, LayerOutput
from fcviz.net.model import layer_title
from fcviz.net.neuron import UnitSum, input_gradient, strongest_pixel, unit_sum
from fcviz.plots.charts import gradient_map, input_bars, pixel_image, pixel_products
from fcviz.plots.style import STATIC
from ui import keys
from ui.chart import chart
from ui.lang import relabel

# f(z) as the notes write it, in LaTeX (Z stands for this unit's z), for the unit-sum equation
FORMULAS = {"relu": r"\max(0,\ Z)", "sigmoid": r"\frac{1}{1+e^{-Z}}", "tanh": r"\tanh(Z)", "linear": "Z",
            "softmax": r"\frac{e^{Z}}{\sum_k e^{z_k}}"}


def pixel_effects(layers: list[DenseWeights], outputs: list[LayerOutput], image: np.ndarray, top: int,
                  names: list[str]) -> None:
    """The gradient of one digit's probability over the drawing: where ink would make it more (or less) of it."""
    st.subheader(_("Which pixels flip it"))
    with st.container(horizontal=True, wrap=True, gap="medium"):
        left, right = st.container(width=330), st.container(width="stretch")
    with right:
        relabel(keys.DRAW_TARGET)
        picked = st.segmented_control(_("Digit to explain (none picked: the prediction)"), list(range(N_CLASSES)),
                                      format_func=lambda i: names[i], key=keys.DRAW_TARGET)
        target = top if picked is None else int(picked)
        gradient = input_gradient(layers, outputs, target)
        st.markdown(_("**Red**: more ink here would make it more of a **{digit}**. **Blue**: more ink here would make it "
                      "less of one. The outline is your drawing.").format(digit=names[target]))
        row, col = strongest_pixel(gradient)
        st.caption(_("Each pixel's colour is ∂P({digit})/∂pixel, the gradient that backpropagation computes, here in "
                     "numpy from the same weights as the prediction. The strongest push towards a {digit} is at row "
                     "{row}, column {col}. Near the edges no MNIST digit has ink, so those weights never learned: "
                     "their speckle means nothing. A sure prediction (near 100%) barely moves: see the scale's tiny "
                     "numbers.").format(digit=names[target], row=row, col=col))
    with left:
        chart(gradient_map(gradient, image), config=STATIC, key=keys.DRAW_GRADIENT)


def _layer_name(layers: list[DenseWeights], i: int) -> str:
    units = layers[i].kernel.shape[1]
    if i == len(layers) - 1:
        return _("{name} · output layer ({units} units)").format(name=layer_title(layers[i].name), units=units)
    return _("{name} · hidden layer {n} ({units} units)").format(name=layer_title(layers[i].name), n=i + 1, units=units)


def _clamp(key: str, high: int) -> None:
    """A remembered pick that the current network no longer has (fewer layers or units) goes back to 0."""
    value = st.session_state.get(key, 0)
    if not isinstance(value, int) or not 0 <= value <= high:
        st.session_state[key] = 0


def _equation(s: UnitSum, first: bool) -> str:
    """`z₅ = Σ xᵢ·wᵢ,₅ + b₅ = 3.21 + (−0.12) = 3.09`, `h₅ = f(z₅) = …` with this unit's numbers, a step a line (one
    line was cut on a phone, and on the Draw page's narrower column with batch norm's step in it)."""
    x, u = ("x" if first else "h"), s.unit
    z = f"z_{{{u}}}"
    lines = [rf"{z} &= \sum_{{i=1}}^{{{len(s.inputs)}}} {x}_i\, w_{{i,{u}}} + b_{{{u}}}",
             rf"&= {s.total:.3f} + {_signed(s.bias)} = {s.z:.3f}"]
    if s.normed is not None:  # batch norm between the sum and the activation (moving averages at prediction time)
        lines.append(rf"\hat{{z}}_{{{u}}} &= \frac{{{z} - \mu_{{{u}}}}}{{\sqrt{{\sigma^2_{{{u}}} + \varepsilon}}}}\,"
                     rf"\gamma_{{{u}}} + \beta_{{{u}}} = {s.normed:.3f}")
        z = rf"\hat{{z}}_{{{u}}}"
    added = rf" + {x}_{{{u}}}" if s.added is not None else ""  # a skip connection adds the unit's own input
    lines += [rf"h_{{{u}}} &= \mathrm{{{s.activation}}}({z}){added}",
              "&= " + FORMULAS[s.activation].replace("Z", z) + (f" + {_signed(s.added)}" if s.added is not None else "")
              + f" = {s.output:.3f}"]
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


def _signed(value: float) -> str:
    """A number added in the sum: bracketed when negative ("+ (-0.120)"), bare otherwise ("+ 0.023")."""
    return f"({value:.3f})" if value < 0 else f"{value:.3f}"


def unit_sum_view(layers: list[DenseWeights], outputs: list[LayerOutput], x: np.ndarray) -> None:
    """One unit's `h = f(Σ xᵢ·wᵢ + b)` for this drawing, with its weights and contributions shown."""
    st.subheader(_("A neuron's own sum"))
    st.caption(_("Click a unit in the strips above, or pick one here: its weighted sum with the real numbers for "
                 "your drawing."))
    if (picked := st.session_state.pop(keys.BUILD_PICKED, None)) is not None:  # clicked in the Build diagram
        st.session_state[keys.DRAW_LAYER], st.session_state[keys.DRAW_UNIT] = picked
    _clamp(keys.DRAW_LAYER, len(layers) - 1)
    if keys.DRAW_UNIT not in st.session_state:  # nothing picked yet: the unit this drawing excites most
        st.session_state[keys.DRAW_UNIT] = int(np.argmax(outputs[st.session_state.get(keys.DRAW_LAYER) or 0].post[0]))
    relabel(keys.DRAW_LAYER)
    with st.container(horizontal=True, wrap=True):
        layer = st.selectbox(_("Layer"), list(range(len(layers))), format_func=lambda i: _layer_name(layers, i),
                             key=keys.DRAW_LAYER, width=340)
        units = layers[layer].kernel.shape[1]
        _clamp(keys.DRAW_UNIT, units - 1)
        unit = st.number_input(_("Unit"), min_value=0, max_value=units - 1, step=1, key=keys.DRAW_UNIT, width=160)
    s = unit_sum(layers, outputs, x, layer, int(unit))
    first = layer == 0
    st.latex(_equation(s, first))
    counted = int(np.count_nonzero(s.inputs))
    if first:
        st.markdown(_("Only the **{k}** pixels with ink add anything: xᵢ = 0 on the other {rest}, whatever their "
                      "weight.").format(k=counted, rest=len(s.inputs) - counted))
        with st.container(horizontal=True, wrap=True, gap="small"):
            for title, figure in ((_("your drawing x"), pixel_image(s.inputs, 200)),
                                  (_("its weights w (28×28)"), pixel_products(s.weights, "w")),
                                  (_("x·w: what each pixel adds"), pixel_products(s.contributions, "x·w"))):
                with st.container(width=270):
                    st.markdown(f"**{title}**")
                    chart(figure, config=STATIC, key=keys.unit_chart(title))
    else:
        st.markdown(_("Its inputs are the previous layer's {n} outputs h; **{k}** of them are not 0 for this "
                      "drawing.").format(n=len(s.inputs), k=counted))
        chart(input_bars(s.inputs, s.contributions), config=STATIC, key=keys.DRAW_UNIT_BARS)
    up, down = int(np.argmax(s.contributions)), int(np.argmin(s.contributions))

    def place(i: int) -> str:
        if first:
            row, col = divmod(i, IMAGE_SIDE)
            return _("the pixel at row {row}, column {col}").format(row=row, col=col)
        return _("input {i}").format(i=i)
    st.caption(_("Largest push up: {up} ({plus:+.3f}); largest push down: {down} ({minus:+.3f}).").format(
        up=place(up), plus=float(s.contributions[up]), down=place(down), minus=float(s.contributions[down])))
