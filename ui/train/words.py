"""The words the Train page's sentences use for the data: digits for MNIST, clothes for Fashion-MNIST (each
sentence is written once, with its word chosen from the data's classes); and the names of its results' tabs."""
from __future__ import annotations

from dataclasses import dataclass

from fcviz.data.mnist import DIGITS
from fcviz.i18n import N_, _


@dataclass(frozen=True)
class DataWords:
    """How the page names a data set and what it holds (the last three marked for translation, `_()` them)."""

    title: str  # the data set's own name, in the page's title
    kind: str  # one class: "digit"
    items: str  # what the training set holds: "digits"
    tested: str  # what the test set holds: "digits"


DIGIT_WORDS = DataWords("MNIST", N_("digit"), N_("digits"), N_("digits"))
CLOTHES_WORDS = DataWords("Fashion-MNIST", N_("class"), N_("images of clothes"), N_("images"))


# The tabs the results open in, by name (marked for translation, `_()` them), in the order shown.
TEST_SET, MOVED_DIGITS, TIME_TRAVEL = N_("Test set"), N_("Moved digits"), N_("Time travel")
CODE_AND_DOWNLOADS, COMPARE_RUNS = N_("Code and downloads"), N_("Compare runs")
RESULT_TABS = (TEST_SET, MOVED_DIGITS, TIME_TRAVEL, CODE_AND_DOWNLOADS, COMPARE_RUNS)


def words_for(classes: tuple[str, ...]) -> DataWords:
    """The words for data of these classes (`fcviz.data.mnist.classes_of`)."""
    return DIGIT_WORDS if classes == DIGITS else CLOTHES_WORDS


def page_title(words: DataWords) -> str:
    """The Train page's title: the data set it trains on."""
    return _("Train on {data}").format(data=words.title)
