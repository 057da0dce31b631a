"""One palette and one plot configuration for every chart, the network diagram and the pages.

Okabe-Ito colours: safe for colour-blind viewers; train and test are also told apart by line style.
"""
from __future__ import annotations

import functools

from fcviz import i18n

BLUE, ORANGE, VERMILION, GREEN = "#0072B2", "#E69F00", "#D55E00", "#009E73"
GREY, INK, MUTED, FAINT = "#9aa5b1", "#1f2933", "#3e4c59", "#52606d"
TRANSPARENT = "rgba(0,0,0,0)"

TRAIN, TEST, WARN = BLUE, ORANGE, VERMILION  # train curves, test curves, what needs a look
TEST_FILL = "rgba(230,159,0,0.12)"  # the gap between train and test, shaded in the test colour
EDGE = "rgba(120,130,140,0.25)"
LAYER_COLOURS = {"input": GREY, "hidden": BLUE, "output": VERMILION}
RUN_COLOURS = (BLUE, VERMILION, GREEN, "#CC79A7", "#56B4E9", ORANGE, "#000000", "#F0E442")

FONT_SIZE = 15  # read from the back of a room: axis numbers and titles in ink, not plotly's pale grey
FONT = {"size": FONT_SIZE, "color": INK}


def per_language(maxsize: int):
    """Decorates a figure maker whose arguments are hashable: one figure per arguments and page language, made once
    (a figure takes milliseconds, a lookup microseconds). Callers must not change the figure they get."""
    def cache(make):
        cached = functools.lru_cache(maxsize=maxsize)(lambda language, *args, **kwargs: make(*args, **kwargs))

        @functools.wraps(make)
        def made(*args, **kwargs):
            return cached(i18n.current(), *args, **kwargs)
        return made
    return cache


CLASSROOM_SCALE = 1.4  # the classroom view's charts: 21 px text instead of 15, for the back row of a room


STATIC = {"displayModeBar": False}  # plotly config of charts that are looked at, not explored
EXPLORE = {"displaylogo": False}  # zoom and hover tools kept (training curves)
