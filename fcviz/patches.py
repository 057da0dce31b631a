"""Every change fcviz makes to a private API of Streamlit, Keras or TensorFlow, in one place.

Each was written for one minor version of its package (`WRITTEN_FOR`). When the installed version
differs, `check_versions()` says which patch to re-check, the app logs it at start-up and a test
fails, so an upgrade cannot quietly break one. A patch whose private attribute is gone is skipped
with a warning instead of crashing the app.

The Streamlit patches import Streamlit only inside the functions that `ui/runtime.py` calls:
importing `fcviz` never imports Streamlit.
"""
from __future__ import annotations

import importlib.metadata
import logging
import warnings

log = logging.getLogger("fcviz")

WRITTEN_FOR = {"streamlit": "1.67", "keras": "3.15", "tensorflow-cpu": "2.21"}
PATCHES = {
    "streamlit": ("keep_keras_state_between_reruns: script_runner._clean_problem_modules; "
                  "leave_legacy_pages_mode: PagesManager.uses_pages_directory"),
    "keras": "skip_replica_sum: Optimizer._all_reduce_sum_gradients",
    "tensorflow-cpu": "skip_replica_sum: tf.distribute.has_strategy and the gradient registry it avoids",
}


def installed(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def check_versions() -> list[str]:
    """One sentence per package whose installed minor version is not the one its patches were written for."""
    notes = []
    for package, wanted in WRITTEN_FOR.items():
        have = installed(package)
        if have is not None and ".".join(have.split(".")[:2]) != wanted:
            notes.append(f"fcviz patches {package} ({PATCHES[package]}) as of {wanted}; {have} is installed: "
                         "check that they still apply (fcviz/patches.py).")
    return notes


def _missing(owner: object, attr: str, patch: str) -> bool:
    if hasattr(owner, attr):
        return False
    warnings.warn(f"fcviz patch {patch} skipped: {getattr(owner, '__name__', owner)}.{attr} no longer exists",
                  RuntimeWarning, stacklevel=3)
    return True


def skip_replica_sum(optimizer) -> None:
    """Keras sums gradients over replicas with `all_reduce`, whose custom gradient TensorFlow registers
    globally, for good, at every trace: each training run leaked its whole traced graph (~6 MB) that
    way. With no distribution strategy (one replica) the sum is the gradient itself."""
    import tensorflow as tf

    if not tf.distribute.has_strategy() and not _missing(optimizer, "_all_reduce_sum_gradients", "skip_replica_sum"):
        optimizer._all_reduce_sum_gradients = list


def keep_keras_state_between_reruns() -> None:
    """Streamlit calls `keras.backend.clear_session()` after every rerun: a full `gc.collect()` over
    TensorFlow's heap (~220 ms per slider move) that also swaps Keras' global state under a model
    training in another thread. fcviz frees its models itself, so the clean-up is switched off."""
    from streamlit.runtime.scriptrunner import script_runner

    if not _missing(script_runner, "_clean_problem_modules", "keep_keras_state_between_reruns"):
        script_runner._clean_problem_modules = lambda: None


def leave_legacy_pages_mode() -> bool:
    """With a `pages/` folder Streamlit starts in its legacy multipage mode until a script calls
    `st.navigation` (and AppTest re-enters it on every run). Switch it off; True if it was on."""
    from streamlit.runtime.pages_manager import PagesManager

    if _missing(PagesManager, "uses_pages_directory", "leave_legacy_pages_mode"):
        return False
    was = bool(PagesManager.uses_pages_directory)
    PagesManager.uses_pages_directory = False
    return was


def log_version_notes() -> None:
    for note in check_versions():
        log.warning(note)
