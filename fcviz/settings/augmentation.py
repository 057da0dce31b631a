"""What augmentation does to a training image, once: the training step, the exported script and the
setting's help all say these numbers."""

SHIFT_PIXELS = 3  # moved by up to this many pixels, each way
TURN_DEGREES = 10  # turned by up to this many degrees, each way
ZOOM = 0.1  # scaled by up to this share, in or out
WORDS = (("shift", SHIFT_PIXELS), ("turn", TURN_DEGREES), ("zoom", ZOOM))  # the help text's placeholders
