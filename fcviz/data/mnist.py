"""The shape of the task every page teaches on: 28×28 grey images of the digits 0–9 (or, in
Fashion-MNIST, of 10 kinds of clothes)."""
from __future__ import annotations

import math

from fcviz.i18n import N_

IMAGE_SIDE = 28
N_PIXELS = IMAGE_SIDE * IMAGE_SIDE  # 784: the network's input size
N_CLASSES = 10  # the output layer: one softmax unit per digit
DIGITS: tuple[str, ...] = tuple(str(d) for d in range(N_CLASSES))
CHANCE_LOSS = math.log(N_CLASSES)  # cross-entropy of a uniform guess over the 10 digits

# Fashion-MNIST: the same 28×28 grey format and 10 classes, of clothes (its authors' names, in label order)
FASHION: tuple[str, ...] = (N_("T-shirt/top"), N_("Trouser"), N_("Pullover"), N_("Dress"), N_("Coat"),
                            N_("Sandal"), N_("Shirt"), N_("Sneaker"), N_("Bag"), N_("Ankle boot"))


def classes_of(name: str) -> tuple[str, ...]:
    """What the 10 labels of a data set mean, from its name or source ("Fashion-MNIST", "folder:fashion-mnist"):
    clothes for Fashion-MNIST, else the digits."""
    return FASHION if "fashion" in name.lower() else DIGITS
