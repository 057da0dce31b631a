"""Digits drawn with the mouse on the real canvas, as strokes in canvas pixels (0..280)."""
from __future__ import annotations

import base64
import io

from PIL import Image, ImageDraw

from fcviz_dev.browser import wait_idle

CANVAS = "[data-testid='stBidiComponentIsolated'] canvas.upper-canvas"

# Each digit: a list of strokes; each stroke a list of (x, y) points in a 280×280 canvas.
DIGITS = {
    "1": [[(140, 50), (140, 230)]],
    "0": [[(140, 50), (95, 75), (80, 140), (95, 205), (140, 230), (185, 205), (200, 140), (185, 75), (140, 50)]],
    "7": [[(80, 60), (200, 60), (150, 140), (120, 230)]],
}


def scaled(strokes, scale: float = 1.0, dx: float = 0.0, dy: float = 0.0):
    """The same digit smaller and moved: (x, y) -> (x * scale + dx, y * scale + dy)."""
    return [[(x * scale + dx, y * scale + dy) for x, y in stroke] for stroke in strokes]


def canvas_png(strokes) -> str:
    """What the canvas component reports for `strokes`: a data URL of its 280×280 RGBA image (a protocol student's
    drawing)."""
    image = Image.new("RGBA", (280, 280), (0, 0, 0, 255))
    pen = ImageDraw.Draw(image)
    for stroke in strokes:
        pen.line(stroke, fill=(255, 255, 255, 255), width=22, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def draw(page, strokes, steps: int = 12) -> None:
    """Draw `strokes` with the mouse, once the canvas is there and the page's script has finished its run: a
    stroke drawn while the run still lays out the page can land beside the canvas, and is then lost."""
    page.locator(CANVAS).wait_for(timeout=120_000)
    wait_idle(page)
    box = page.locator(CANVAS).bounding_box()
    for stroke in strokes:
        x0, y0 = stroke[0]
        page.mouse.move(box["x"] + x0, box["y"] + y0)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y, steps=steps)
        page.mouse.up()
