"""Plotly figures for every page: the curves and matrices (`charts`), the network diagram (`diagram`), all of them
built as plain data (`plain`), and one palette (`style`). The top layer: it draws what the others compute."""
