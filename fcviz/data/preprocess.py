"""Turn a drawing into the 28×28 image MNIST would have made of it.

MNIST digits are white on black, scaled to fit a 20×20 box with their aspect ratio kept
(anti-aliased), then placed in 28×28 so that their centre of mass is at the centre. A drawn
digit that skips any of these steps looks nothing like the training data and is misread.
"""
from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

from fcviz.data.mnist import IMAGE_SIDE

BOX = 20  # MNIST fits each digit in 20×20 ...
SIZE = IMAGE_SIDE  # ... inside a 28×28 image
INK_THRESHOLD = 0.05  # ink below this (0..1) is treated as background when cropping
MAX_CANVAS_SIDE = 2048  # the canvas is 280×280; anything far bigger is not a drawing from it


def ink_from_rgba(rgba: np.ndarray) -> np.ndarray:
    """Ink in 0..1 from an RGBA (or RGB / grey) canvas: white strokes on a black or transparent background."""
    a = np.asarray(rgba)
    if a.ndim in (2, 3) and max(a.shape[:2]) > MAX_CANVAS_SIDE:
        raise ValueError(f"expected an image of at most {MAX_CANVAS_SIDE}×{MAX_CANVAS_SIDE} pixels, got {a.shape}")
    if a.ndim == 2:
        return a.astype(np.float32) / (255.0 if a.max() > 1 else 1.0)
    if a.ndim != 3 or a.shape[2] not in (3, 4):
        raise ValueError(f"expected an image of shape (h, w, 3 or 4), got {a.shape}")
    colour = np.maximum(np.maximum(a[..., 0], a[..., 1]), a[..., 2])  # in uint8: float work here costs ms
    if a.shape[2] == 4 and a[..., 3].min() < 255:  # transparent background: weigh the colour by alpha
        return colour.astype(np.float32) * a[..., 3].astype(np.float32) / (255.0 * 255.0)
    return colour.astype(np.float32) / 255.0


def to_mnist(ink: np.ndarray) -> np.ndarray | None:
    """28×28 float32 in 0..1, as MNIST was made; None for an empty drawing."""
    ink = np.clip(np.asarray(ink, dtype=np.float32), 0.0, 1.0)
    rows = np.flatnonzero(ink.max(axis=1) > INK_THRESHOLD)
    cols = np.flatnonzero(ink.max(axis=0) > INK_THRESHOLD)
    if len(rows) == 0:
        return None
    crop = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    small = np.asarray(Image.fromarray(crop, mode="F").resize((new_w, new_h), Image.LANCZOS), dtype=np.float32)
    small = np.clip(small, 0.0, 1.0)
    out = np.zeros((SIZE, SIZE), dtype=np.float32)
    top, left = (SIZE - new_h) // 2, (SIZE - new_w) // 2
    out[top:top + new_h, left:left + new_w] = small
    cy, cx = ndimage.center_of_mass(out)
    # no further than the frame's edge: a 7's heavy bar pulled its thin tail out of the image
    shift = (_within(SIZE / 2 - cy, top, SIZE - top - new_h), _within(SIZE / 2 - cx, left, SIZE - left - new_w))
    return ndimage.shift(out, shift, order=0, mode="constant", cval=0.0)  # whole pixels: no extra blur


def _within(shift: float, before: int, after: int) -> int:
    """`shift` in whole pixels, moving a box with `before` free pixels before it and `after` after it no further."""
    return int(min(max(round(shift), -before), after))


def canvas_to_mnist(rgba: np.ndarray | None) -> np.ndarray | None:
    """The canvas' RGBA image data to the network's 28×28 input (None when nothing is drawn)."""
    if rgba is None:
        return None
    return to_mnist(ink_from_rgba(rgba))
