"""The teacher's board as a table: the one the Class page shows, and the same as a CSV file for a spreadsheet
(with each run's settings and numbers in full). Nicknames only when the board shows them; column names in the
reader's language."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from fcviz.i18n import N_, _
from fcviz.store.labels import settings_of
from fcviz.store.runs import RunSummary

COLUMNS = {  # the board table's columns, by what they hold (translated where they are shown)
    "student": N_("student"), "network": N_("network"), "parameters": N_("parameters"), "settings": N_("settings"),
    "epochs": N_("epochs"), "train": N_("train accuracy"), "test": N_("test accuracy"), "gap": N_("gap (points)"),
    "ours": N_("our handwriting"), "ended": N_("ended")}
CSV_COLUMNS = {"data": N_("data set"), "test_loss": N_("test loss")}  # the file's own, beside the board's
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run a cell starting so as a formula


def column(name: str) -> str:
    """A board column's name (a key of `COLUMNS` or `CSV_COLUMNS`) in the reader's language."""
    return _({**COLUMNS, **CSV_COLUMNS}[name])


def students(runs: Sequence[RunSummary], names: bool) -> list[str]:
    """How the board names the student of each run (`runs` newest first): the nickname, or while names are hidden
    "student 3", one number per nickname so that a student's runs read as one student's, given in the order the
    students' first runs ended: a projected board keeps every number as new runs arrive (numbered from the newest,
    a teacher's "student 2" became "student 3" when a classmate's run came in)."""
    numbers: dict[str, int] = {}
    for r in reversed(runs):
        numbers.setdefault(r.nickname, len(numbers) + 1)
    return [r.nickname if names else _("student {n}").format(n=numbers[r.nickname]) for r in runs]


def board_table(runs: Sequence[RunSummary], names: bool, ours: dict[str, float] | None = None) -> pd.DataFrame:
    """The board's table, a row per run (newest first); accuracies in percent; `ours`: each run's accuracy on
    the class's handwriting, by token (NaN where it has none)."""
    ours = ours or {}
    return pd.DataFrame({
        column("student"): students(runs, names),
        column("network"): [r.network for r in runs],
        column("parameters"): [r.params for r in runs],
        column("test"): [100 * r.test_accuracy for r in runs],
        column("train"): [100 * r.train_accuracy for r in runs],
        column("gap"): [100 * r.gap for r in runs],
        column("ours"): [100 * ours[r.token] if r.token in ours else np.nan for r in runs],
        column("epochs"): [len(r.epochs) for r in runs],
        column("ended"): [r.created for r in runs],
        # the long line last, without the network its column names: what the teacher reads stays on the projector's
        # screen (the walk of 2026-12-07 found "ended" past its right edge, the settings cut), the table scrolls
        column("settings"): [settings_of(r, network=False) for r in runs],
    })


def _cell(value: object) -> object:
    """A text cell a spreadsheet shows as text, never runs (a nickname "=HYPERLINK(…)" stays words)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def board_csv(runs: Sequence[RunSummary], names: bool, ours: dict[str, float] | None = None) -> bytes:
    """The board's table as a CSV file (UTF-8 with its mark, so spreadsheets read Chinese right): its columns,
    then each run's data set, test loss and every setting of its link (a column per setting, by its link's name);
    percentages to two decimals, times in UTC."""
    table = board_table(runs, names, ours)
    for name in ("train", "test", "gap", "ours"):
        table[column(name)] = table[column(name)].round(2)
    table[column("ended")] = [pd.Timestamp(t).tz_localize("UTC").isoformat() if pd.Timestamp(t).tzinfo is None
                              else pd.Timestamp(t).tz_convert("UTC").isoformat() for t in table[column("ended")]]
    table[column("data")] = [r.data for r in runs]
    table[column("test_loss")] = [round(r.test_loss, 4) for r in runs]
    for key in sorted({k for r in runs for k in r.settings}):
        table[_("setting {name}").format(name=key)] = [r.settings.get(key, "") for r in runs]
    return table.map(_cell).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
