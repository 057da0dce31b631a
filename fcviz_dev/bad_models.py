"""A catalogue of hostile and broken `.keras` files, made from a real saved model, for the upload tests.

Each entry: file name -> (bytes, a phrase the refusal must contain). Nothing here is downloaded:
every file is built from a model saved by the installed Keras.
"""
from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

MB = 1024 * 1024


def rewrite(data: bytes, change: Callable[[dict[str, bytes]], dict[str, bytes]]) -> bytes:
    """The same archive with its members passed through `change` (name -> content)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in change(members).items():
            zf.writestr(name, content)
    return out.getvalue()


def with_config(data: bytes, edit: Callable[[dict], None]) -> bytes:
    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        config = json.loads(members["config.json"])
        edit(config)
        return {**members, "config.json": json.dumps(config).encode()}

    return rewrite(data, change)


def huge_units(config: dict) -> None:
    """The issue's attack: one `"units": 128` made 2,000,000 (Keras would allocate ~6 GB)."""
    config["config"]["layers"][1]["config"]["units"] = 2_000_000


def many_layers(config: dict) -> None:
    dense = {"module": "keras.layers", "class_name": "Dense", "config": {"units": 8}}  # short: config stays < 1 MB
    config["config"]["layers"][1:2] = [dense] * 10_000


def custom_layer(config: dict) -> None:
    layer = config["config"]["layers"][1]
    layer["module"], layer["registered_name"] = "evil_package", "evil>Backdoor"


def kernel_start(class_name: str, **options) -> Callable[[dict], None]:
    """The hidden layer's kernel initialiser replaced: Keras would run it (allocating, factorising) before the
    weights are loaded over it, and the network would claim a start fcviz does not offer."""
    def edit(config: dict) -> None:
        config["config"]["layers"][1]["config"]["kernel_initializer"] = {
            "module": "keras.initializers", "class_name": class_name, "config": options, "registered_name": None}
    return edit


def deflate_bomb(data: bytes, unpacked_mb: int = 400) -> bytes:
    """model.weights.h5 replaced by `unpacked_mb` MB of zeros that deflate to well under 1 MB."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {name: zf.read(name) for name in zf.namelist() if name != "model.weights.h5"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
        with zf.open("model.weights.h5", "w", force_zip64=True) as f:
            block = bytes(MB)
            for _ in range(unpacked_mb):
                f.write(block)
    return out.getvalue()


def extra_member(data: bytes, name: str, content: bytes = b"x", symlink: bool = False) -> bytes:
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as zf:
        info = zipfile.ZipInfo(name)
        if symlink:
            info.external_attr = 0o120777 << 16
        zf.writestr(info, content)
    return buf.getvalue()


def without(data: bytes, member: str) -> bytes:
    return rewrite(data, lambda m: {k: v for k, v in m.items() if k != member})


def padded_config(data: bytes, mb: int = 50) -> bytes:
    """config.json grown to `mb` MB with white space (valid JSON, deflates to about 50 KB)."""
    return rewrite(data, lambda m: {**m, "config.json": m["config.json"] + b" " * (mb * MB)})


def not_a_model() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("homework.txt", "a valid zip, but no model in it")
    return out.getvalue()


def legacy_h5(model) -> bytes:
    """The same network saved in the HDF5 format of Keras 2 (`model.save('x.h5')`)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "old.h5"
        model.save(path)
        return path.read_bytes()


def catalogue(good: bytes, model) -> dict[str, tuple[bytes, str]]:
    """Every bad file, named as a student might upload it, with what its refusal must say."""
    return {
        "huge-units.keras": (with_config(good, huge_units), "units must be from 1 to 1,024, got 2,000,000"),
        "10000-layers.keras": (with_config(good, many_layers), "10,002 layers"),
        "custom-layer.keras": (with_config(good, custom_layer), "custom objects are not loaded"),
        "orthogonal-start.keras": (with_config(good, kernel_start("Orthogonal", gain=1.0, seed=None)),
                                   "the kernels start from Orthogonal"),
        "huge-sigma-start.keras": (with_config(good, kernel_start("RandomNormal", mean=0.0, stddev=1e30, seed=None)),
                                   "with stddev=1e+30"),
        "odd-seed-start.keras": (with_config(good, kernel_start("HeNormal", seed="x" * 1000)), "with seed=xxxx"),
        "deflate-bomb.keras": (deflate_bomb(good), "its weights take 400.0 MB"),
        "dot-dot.keras": (extra_member(good, "../x"), "'../x', which is not part of a .keras model"),
        "symlink.keras": (extra_member(without(good, "fcviz.json"), "fcviz.json", b"/etc/passwd", symlink=True),
                          "is a symbolic link"),
        "big-config.keras": (padded_config(good), "config.json would unpack to 50.0 MB"),
        "not-a-model.keras": (not_a_model(), "'homework.txt', which is not part of a .keras model"),
        "truncated.keras": (good[: len(good) // 2], "damaged or cut short"),
        "keras2-format.keras": (legacy_h5(model), "HDF5 (.h5) model, the format of older Keras"),
    }


# ---- batch norm and skip connections: made from a saved 784-256-256-10 with batch norm on both and skip ----------
def _layer(config: dict, name: str) -> dict:
    return next(layer for layer in config["config"]["layers"] if layer["name"] == name)


def batchnorm_option(key: str, value) -> Callable[[dict], None]:
    """One option of the first BatchNormalization changed: Keras would build (and run) whatever it says."""
    def edit(config: dict) -> None:
        _layer(config, "batchnorm_1")["config"][key] = value
    return edit


def batchnorm_wrong_shape(config: dict) -> None:
    """The batch norm's input tensor claims to be a million wide."""
    layer = _layer(config, "batchnorm_1")
    layer["inbound_nodes"][0]["args"][0]["config"]["shape"] = [None, 1_000_000]


def batchnorm_built_huge(config: dict) -> None:
    """Only the build config says a million: Keras would build the layer's weights for it."""
    _layer(config, "batchnorm_2")["build_config"]["input_shape"] = [None, 1_000_000]


def skip_mismatched(config: dict) -> None:
    """hidden_2 made 128 wide: its Add would join 256 and 128."""
    _layer(config, "hidden_2")["config"]["units"] = 128


def skip_cycle(config: dict) -> None:
    """hidden_1 reads the Add that comes after it: a loop Keras would have to untangle."""
    tensor = _layer(config, "hidden_1")["inbound_nodes"][0]["args"][0]
    tensor["config"]["keras_history"] = ["skip_2", 0, 0]


def skip_three_way(config: dict) -> None:
    """The Add joins three tensors: the Input too."""
    args = _layer(config, "skip_2")["inbound_nodes"][0]["args"][0]
    args.append({**args[1], "config": {**args[1]["config"], "keras_history": ["input", 0, 0], "shape": [None, 784]}})


def skip_many_adds(config: dict) -> None:
    """200 Add layers after the output: far more than the cap."""
    add = _layer(config, "skip_2")
    config["config"]["layers"] += [{**add, "name": f"more_{i}"} for i in range(200)]


def skip_catalogue(good: bytes) -> dict[str, tuple[bytes, str]]:
    """Files that abuse batch norm or the skip wiring, made from `good` (a saved 784-256-256-10 with batch norm on
    both hidden layers and skip connections), with what their refusal must say."""
    return {
        "batchnorm-huge-epsilon.keras": (with_config(good, batchnorm_option("epsilon", 1e30)),
                                         "its BatchNormalization has epsilon=1e+30"),
        "batchnorm-renorm.keras": (with_config(good, batchnorm_option("renorm", True)),
                                   "its BatchNormalization has renorm=True"),
        "batchnorm-odd-axis.keras": (with_config(good, batchnorm_option("axis", 7)),
                                     "its BatchNormalization has axis=7"),
        "batchnorm-wrong-shape.keras": (with_config(good, batchnorm_wrong_shape),
                                        "batchnorm_1 declares an input of shape [None, 1000000]"),
        "skip-mismatched-widths.keras": (with_config(good, skip_mismatched),
                                         "skip_2 adds a width of 256 to a width of 128"),
        "skip-cycle.keras": (with_config(good, skip_cycle), "hidden_1 reads skip_2, which comes after it"),
        "skip-three-way.keras": (with_config(good, skip_three_way), "skip_2 reads activation_2, activation_1, input"),
        "skip-200-adds.keras": (with_config(good, skip_many_adds), "209 layers"),
        "batchnorm-built-huge.keras": (with_config(good, batchnorm_built_huge),
                                       "batchnorm_2 is built for [None, 1000000]; its input is (None, 256)"),
    }
