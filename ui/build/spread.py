"""The Build page's initialisation section: what each way of starting the weights does to the spread of a layer's
outputs, and the spread of every layer's z for real digits through the network as it starts."""
from __future__ import annotations

import streamlit as st

from fcviz.i18n import _
from fcviz.net.spread import SPREAD_BATCH, initial_spread
from fcviz.plots.charts import spread_figure
from fcviz.plots.style import STATIC
from fcviz.settings import initializers
from fcviz.settings.spec import NetworkSpec
from ui import keys
from ui.build.layers import INIT
from ui.chart import chart
from ui.first_paint import later


def spread_section(spec: NetworkSpec, seed: int) -> None:
    """A sentence per initialiser (the chosen one first and in bold), and one box per layer of z for a batch through
    the weights this network starts training from (`seed`: the training seed). Computed once per network. Below the
    first screen: on a new visitor's first run it comes with the next."""
    if later():
        return
    st.subheader(_("How the weights start"))
    chosen = initializers.BY_NAME[spec.init]
    others = [i for i in initializers.INITIALIZERS if i is not chosen]
    lines = [_("**{name}** (chosen under **{setting}** in the sidebar): {says}").format(
        name=_(chosen.label), setting=INIT.caption, says=_(chosen.says))]
    lines += [_("{name}: {says}").format(name=_(i.label), says=_(i.says)) for i in others]
    st.markdown("\n".join(f"- {line}" for line in lines))
    spread = initial_spread(spec, seed)
    st.markdown((_("**Each layer's z = h @ W + b for {n} sample digits**, before any training:") if spread.digits else
                 _("**Each layer's z = h @ W + b for {n} random inputs**, before any training:")).format(n=SPREAD_BATCH))
    chart(spread_figure(spread), config=STATIC, key=keys.BUILD_SPREAD)
    st.caption(_("A box holds the middle half of a layer's values, its whiskers reach the smallest and the largest; σ is "
                 "their standard deviation. Growing boxes are a spread that explodes; flat lines at 0 are units that "
                 "are all the same."))
