"""Networks from the lecture notes, one click each: (button label, spec)."""
from __future__ import annotations

from fcviz.spec import LayerSpec, NetworkSpec

PRESETS: dict[str, tuple[str, NetworkSpec]] = {
    "lecture": ("3 → 2 → 2 → 2 (20 params)",
                NetworkSpec(input_size=3, hidden=(LayerSpec(2), LayerSpec(2)), output_units=2,
                            output_activation="linear")),
    "dense512": ("Dense(512) on 784",
                 NetworkSpec(hidden=(), output_units=512, output_activation="linear")),
    "book": ("784 → 512 → 10 (book)",
             NetworkSpec(hidden=(LayerSpec(512),))),
    "default": ("784 → 128 → 10 (default)", NetworkSpec()),
}
