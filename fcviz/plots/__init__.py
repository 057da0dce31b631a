"""Plotly figures for every page: the curves and matrices (`charts`), the network diagram (`diagram`) and
one palette (`style`). The top layer: it draws what the others compute."""
