"""Small 28×28 images in a grid that fits its screen, a caption over each: the misclassified test digits, the class's
handwriting, a student's own digits, a fine-tune's held-out drawings.

They were one plotly heatmap of a fixed height with twelve images a row: on a phone each image was 26 px wide between
two empty bands, its caption small and pale. Here each image is a PNG of its own in an HTML grid whose columns follow
the width (six a row on a phone, more on a desk, in `rem` so the projector's big text enlarges them too), its caption
in the page's ink.
"""
from __future__ import annotations

import base64
import html
import io
from typing import Sequence

import numpy as np
from PIL import Image

from fcviz.data.mnist import IMAGE_SIDE
from fcviz.plots.style import INK

CLASS = "fcviz-gallery"
TEST_ID = "fcviz-gallery"
# one rule for every gallery of a page (`fcviz-gallery`): columns of at least 3.6 rem, each image square and sharp
CSS = f"""
.{CLASS} {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(3.6rem, 1fr)); gap: 0.6rem 0.5rem;
  max-width: 64rem; margin-bottom: 1rem; }}
.{CLASS} figure {{ margin: 0; text-align: center; }}
.{CLASS} figcaption {{ font-size: 0.9rem; line-height: 1.3; color: {INK}; white-space: nowrap; }}
.{CLASS} img {{ display: block; width: 100%; max-width: 4.5rem; aspect-ratio: 1; margin: 0 auto;
  image-rendering: pixelated; }}
"""


def png(image: np.ndarray) -> bytes:
    """One 28×28 image (ink 0..1, any shape of 784 values) as a grey PNG, white on black as the network sees it."""
    grey = np.clip(np.asarray(image, np.float32).reshape(IMAGE_SIDE, IMAGE_SIDE), 0.0, 1.0)
    out = io.BytesIO()
    Image.fromarray(np.round(grey * 255).astype(np.uint8), mode="L").save(out, format="PNG", optimize=False)
    return out.getvalue()


def gallery_html(images: np.ndarray, titles: Sequence[str]) -> str:
    """The images as an HTML grid with its style (`CSS`), each with its title above it, escaped (titles may carry
    what a student typed)."""
    cells = "".join(
        f'<figure><figcaption>{html.escape(str(title))}</figcaption><img alt="{html.escape(str(title))}" '
        f'src="data:image/png;base64,{base64.b64encode(png(image)).decode("ascii")}"></figure>'
        for image, title in zip(images, titles))
    return f'<style>{CSS}</style><div class="{CLASS}" data-testid="{TEST_ID}">{cells}</div>'
