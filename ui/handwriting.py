"""Handwriting as a test set, on the Train and Draw pages: my digits (kept in the store by device, like runs; in
the session alone when there is no store) and the joined class's own handwriting (drawings added on the Draw
page, every run tested on them)."""
from __future__ import annotations

import numpy as np
import streamlit as st

from fcviz.data.mnist import IMAGE_SIDE, N_CLASSES
from fcviz.i18n import _, number, percent, reason
from fcviz.net.forward import DenseWeights
from fcviz.store import handwriting
from fcviz.store.database import NotAllowed, StoreUnavailable
from ui import keys
from ui import store as db
from ui.chart import gallery
from ui.clicks import pressed
from ui.folds import folded
from ui.session import announce

Handwriting = tuple[np.ndarray, np.ndarray, np.ndarray]  # a class's set: (images, labels, ids)


def our_handwriting() -> Handwriting | None:
    """(images, labels, ids) of the joined class's handwriting set, or None (no class, no database)."""
    joined, s = db.joined_class(), db.store()
    if joined is None or s is None:
        return None
    try:
        return s.handwriting(joined[0])
    except (StoreUnavailable, NotAllowed):
        return None


def _kept_digits() -> list[tuple[np.ndarray, int]]:
    """This session's copy of my digits: read once from the store (this device's, kept like its runs)."""
    if keys.MY_DIGITS not in st.session_state:
        kept: list[tuple[np.ndarray, int]] = []
        s = db.store()
        if s is not None:
            try:
                images, labels = s.my_digits(db.device())
                kept = [(image, int(label)) for image, label in zip(images, labels)]
            except StoreUnavailable:
                pass
        st.session_state[keys.MY_DIGITS] = kept
    return st.session_state[keys.MY_DIGITS]


def my_digits() -> tuple[np.ndarray, np.ndarray]:
    """(images, labels) of the drawings this device labelled as its own, oldest first."""
    kept = _kept_digits()
    images = np.array([image for image, _label in kept], dtype=np.float32).reshape(len(kept), IMAGE_SIDE, IMAGE_SIDE)
    return images, np.array([label for _image, label in kept], dtype=np.int64)


def _add_my_digit(image: np.ndarray, label: int) -> bool:
    """Keep a drawing among my digits, in the store too when there is one; False (with the reason) if refused."""
    kept, s = _kept_digits(), db.store()
    if s is not None:
        try:
            s.add_my_digit(db.device(), label, image)
        except NotAllowed as e:
            st.error(reason(e))
            return False
        except StoreUnavailable:
            pass  # kept for this session only
    kept.append((image.astype(np.float32), int(label)))
    del kept[:-handwriting.MAX_OWN]
    return True


def _forget_my_digits() -> None:
    s = db.store()
    if s is not None:
        try:
            s.forget_my_digits(db.device())
        except StoreUnavailable:
            pass
    st.session_state[keys.MY_DIGITS] = []


def handwriting_line(layers: list[DenseWeights], mnist_accuracy: float | None, found: Handwriting | None) -> None:
    """'MNIST test 92 % · my handwriting 60 % (12 drawings) · our class's handwriting 71 % (40 drawings)',
    when there are drawings. `found`: the class's set (`our_handwriting()`, read once per page run)."""
    parts = []
    mine = my_digits()
    if len(mine[1]):
        parts.append(_("**my handwriting {share}** ({n} drawings)").format(
            share=percent(handwriting.accuracy(layers, *mine), 0), n=number(len(mine[1]))))
    if found is not None and len(found[1]):
        images, labels, _ids = found
        parts.append(_("**our class's handwriting {share}** ({n} drawings)").format(
            share=percent(handwriting.accuracy(layers, images, labels), 0), n=number(len(labels))))
    if not parts:
        return
    mnist = [_("MNIST test {share}").format(share=percent(mnist_accuracy, 0))] if mnist_accuracy is not None else []
    st.markdown(" · ".join(mnist + parts))
    st.caption(_("A network trained on MNIST's centred, thick-stroked digits usually reads real handwriting worse "
                 "than MNIST's own test set."))


def _picked(drawing: int) -> None:
    """The student chose the label of this drawing: later strokes no longer change it."""
    st.session_state[keys.DRAW_LABEL_PICKED] = drawing


def offer_drawing(image: np.ndarray, guess: int) -> None:
    """On the Draw page: give this drawing its true label and keep it among my digits, or, in a class, add it to
    the class's set."""
    joined, s = db.joined_class(), db.store()
    in_class = joined is not None and s is not None
    st.markdown(_("**Your handwriting as a test set**"))
    row = st.container(horizontal=True, vertical_alignment="bottom")
    drawing = st.session_state.get(keys.DRAW_CANVAS_N, 0)
    if st.session_state.get(keys.DRAW_LABEL_PICKED) != drawing:  # until the student picks one: the prediction, as it
        st.session_state[keys.DRAW_LABEL] = guess  # changes with each stroke (a 7's first stroke, a 1, stayed "1")
    label = row.selectbox(_("It really is a"), range(N_CLASSES), key=keys.DRAW_LABEL, width=140,
                          on_change=_picked, args=(drawing,))
    mine = pressed(_("Add to my digits"), key=keys.DRAW_MINE, icon=":material/add:", place=row)
    if mine and _add_my_digit(image, int(label)):
        announce(_("Kept your {digit} among your digits ({n}).").format(digit=label, n=len(_kept_digits())))
        st.session_state[keys.DRAW_CANVAS_N] += 1  # a clean canvas for the next one
        st.rerun()
    if in_class and pressed(_("Add to our handwriting"), key=keys.DRAW_ADD, icon=":material/groups:", place=row):
        try:
            s.add_drawing(joined[0], db.device(), label, image, db.nickname())
        except (NotAllowed, StoreUnavailable) as e:
            st.error(reason(e))
            return
        announce(_("Added your {digit} to the class's handwriting.").format(digit=label))
        st.session_state[keys.DRAW_CANVAS_N] += 1
        st.rerun()


def my_digits_gallery(layers: list[DenseWeights]) -> None:
    """The drawings kept in this session, each with what the network reads, and a way to forget them."""
    images, labels = my_digits()
    if not len(labels):
        return
    with folded(_("My digits ({n}): label → what the network reads").format(n=len(labels)), keys.MY_DIGITS_OPEN):
        read = handwriting.predictions(layers, images)
        gallery(images, [f"{t}→{p}" for t, p in zip(labels, read)], key=keys.DRAW_MY_DIGITS)
        if pressed(_("Forget my digits"), key=keys.DRAW_FORGET, icon=":material/delete:"):
            _forget_my_digits()
            st.rerun()
