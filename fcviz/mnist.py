"""The shape of the task every page teaches on: 28×28 grey images of the digits 0–9."""
from __future__ import annotations

import math

IMAGE_SIDE = 28
N_PIXELS = IMAGE_SIDE * IMAGE_SIDE  # 784: the network's input size
N_CLASSES = 10  # the output layer: one softmax unit per digit
DIGITS: tuple[str, ...] = tuple(str(d) for d in range(N_CLASSES))
CHANCE_LOSS = math.log(N_CLASSES)  # cross-entropy of a uniform guess over the 10 digits
