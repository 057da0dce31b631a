"""The Chinese catalogue is complete and follows the notes' terms; pages marked for translation show
no English of their own (a pseudo-locale wraps every translated string: what is left unwrapped was
never marked)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po

from fcviz import i18n
from fcviz.i18n import LOCALE_DIR, PSEUDO_CLOSE, PSEUDO_OPEN
from ui import keys

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("app.py", "pages", "ui", "fcviz")  # what `make messages` extracts (the Makefile's MESSAGE_SOURCES)
KEYWORDS = {"_": None, "N_": None, "later": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def extracted() -> set[str]:
    """Every string the code marks for translation, read afresh from the sources."""
    found = []
    for source in SOURCES:
        path = ROOT / source
        if path.is_file():
            found += [m[1] for m in extract_from_file("python", path, keywords=KEYWORDS)]
        else:
            found += [m[2] for m in extract_from_dir(path, [("**.py", "python")], keywords=KEYWORDS)]
    return {m if isinstance(m, str) else m[0] for m in found}


def catalogue(language: str):
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "fcviz.po", "rb") as f:
        return read_po(f, locale=language)


def test_every_marked_string_has_a_chinese_translation():
    zh = catalogue("zh")
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in zh if m.id}
    marked = extracted()
    assert len(marked) > 100
    missing = sorted(marked - translated.keys())
    assert missing == [], f"not in the catalogue (run `make messages` and translate): {missing[:10]}"
    for message_id in marked:
        m = translated[message_id]
        assert "fuzzy" not in m.flags, message_id
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(s.strip() for s in strings), f"untranslated: {message_id!r}"
    assert list(zh.check()) == []  # placeholders and format flags agree


def test_the_compiled_catalogue_is_the_translators_file():
    """The .mo the app reads was compiled from the .po (`make` compiles it when the .po changes)."""
    zh = i18n.translations("zh")
    for m in catalogue("zh"):
        if m.id and isinstance(m.id, str):
            assert zh.gettext(m.id) == m.string, m.id


def glossary() -> list[tuple[str, str]]:
    rows = (line.split("\t") for line in (LOCALE_DIR / "glossary.tsv").read_text().splitlines()
            if line and not line.startswith("#"))
    return [(row[0], row[1]) for row in rows]


def test_translations_use_the_notes_terms():
    """Wherever an English message names a glossary term, its Chinese names the term as the notes do."""
    terms = glossary()
    assert ("learning rate", "学习率") in terms and ("overfitting", "过拟合") in terms
    wrong = []
    for m in catalogue("zh"):
        if not m.id or not isinstance(m.id, str):
            continue
        english = PLACEHOLDER.sub("", m.id).lower()
        for term, chinese in terms:
            if re.search(rf"\b{re.escape(term.lower())}s?\b", english) and chinese not in m.string:
                wrong.append((term, m.id, m.string))
    assert wrong == []


def test_numbers_follow_the_locale():
    i18n.use("zh")
    try:
        assert i18n.number(401920) == "401,920" and i18n.percent(0.923) == "92.3%"
    finally:
        i18n.use(None)
    i18n.use("en")
    assert i18n.number(1234.5, 1) == "1,234.5"
    i18n.use(None)


@pytest.mark.parametrize("accept, language", [("zh-CN,zh;q=0.9,en;q=0.8", "zh"), ("en-GB,en;q=0.9", "en"),
                                              ("fr-FR,de;q=0.5", None), ("", None), (None, None),
                                              ("zh_TW", "zh"), ("x" * 5000, None)])
def test_the_browsers_preferred_language(accept, language):
    assert i18n.preferred(accept) == language


# ---- the pages, in a pseudo-locale -------------------------------------------------------------------
WRAPPED = re.compile(re.escape(PSEUDO_OPEN) + r"[^" + PSEUDO_OPEN + PSEUDO_CLOSE + r"]*" + re.escape(PSEUDO_CLOSE))
CODE = re.compile(r"`[^`]*`")
# values a page writes into its sentences, never words of its own: activations, layer kinds, units
DATA_WORDS = {"relu", "sigmoid", "tanh", "linear", "softmax", "KB", "MB", "English"}
TRANSLATED_PAGES = ["pages/build.py", "pages/train.py", "pages/draw.py", "pages/inside.py", "pages/class.py"]


def unmarked_english(text: str) -> list[str]:
    """The English words of `text` outside every translated (wrapped) part and outside code."""
    while (stripped := WRAPPED.sub(" ", text)) != text:  # inner parts first: values formatted into sentences
        text = stripped
    words = re.findall(r"[A-Za-z]{2,}", CODE.sub(" ", text))
    return [w for w in words if w not in DATA_WORDS]


def shown_texts(at) -> list[str]:
    """Every text a person reads on the page: prose, headings, messages, every control's label and help."""
    texts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        texts += [e.value for e in getattr(at, kind)]
    for kind in ("button", "slider", "select_slider", "selectbox", "multiselect", "toggle", "text_input"):
        for widget in getattr(at, kind):
            texts += [widget.label, getattr(widget, "help", None) or ""]
    texts += [m.label for m in at.metric] + [e.label for e in at.expander]
    texts += [str(c) for t in at.table for c in t.value.columns]
    return [t for t in texts if t]


@pytest.mark.parametrize("page", TRANSLATED_PAGES)
def test_a_translated_page_shows_only_marked_text(open_app, monkeypatch, page):
    monkeypatch.setattr(i18n, "current", lambda: i18n.PSEUDO)
    at = open_app(page, {"units": "256,64", "act": "relu,tanh", "dropout": "0.2,0"})
    at.session_state[keys.SHARE_OPEN] = True  # the sidebar's share box opened: its words too (folded, it has none)
    at.run()
    texts = shown_texts(at)
    assert len(texts) > 10 and any(PSEUDO_OPEN in t for t in texts)
    leftovers = {t: words for t in texts if (words := unmarked_english(t))}
    assert leftovers == {}


def test_a_links_notes_are_in_the_links_language(new_app):
    at = new_app()
    at.query_params.update({"lang": "zh", "epochs": "abc", "units": "5000", "nonsense": "1"})
    at.run()
    notes = " ".join(w.value for w in at.warning)
    assert "这个链接的部分内容无法使用" in notes
    assert "“epochs=abc”不是数字：改用 10。" in notes and "“units=5000”超出了 1–1024 的范围：改用 1024。" in notes
    assert "忽略了未知的链接参数：nonsense。" in notes


def test_a_message_made_for_later_reads_as_made_in_english_and_translated_in_chinese():
    from fcviz.settings.fields import SpecError, field

    with pytest.raises(SpecError) as refused:
        field("units").check(2_000_000)
    i18n.use("en")
    try:
        assert i18n.reason(refused.value) == "units must be from 1 to 1,024, got 2,000,000"
        i18n.use("zh")
        assert i18n.reason(refused.value) == "神经元数 必须在 1 到 1,024 之间，实际是 2,000,000"
    finally:
        i18n.use(None)


def test_a_size_reads_in_kb_below_a_megabyte_and_in_mb_above():
    from fcviz.i18n import data_size

    assert data_size(200 * 1024) == "200 KB"
    assert data_size(1590 * 1024) == "1.6 MB"  # not "1,590.0 KB"
    assert data_size(95 * 1024 ** 2) == "95 MB"


def test_layer_names_read_as_keras_prints_them_in_english_and_as_words_in_chinese():
    from fcviz.i18n import use
    from fcviz.net.model import layer_title

    assert [layer_title(n) for n in ("hidden_2", "output", "dense_7")] == ["hidden_2", "output", "dense_7"]
    use("zh")
    try:
        assert [layer_title(n) for n in ("hidden_2", "output", "dense_7")] == ["隐藏层 2", "输出层", "dense_7"]
    finally:
        use("en")


def test_the_trained_pages_show_only_marked_text(open_app, monkeypatch):
    """After a training the pages say much more (results, diagnoses, time travel): all of it translated."""
    from fcviz_dev.apptest import run_until

    monkeypatch.setattr(i18n, "current", lambda: i18n.PSEUDO)
    at = open_app("pages/train.py", {"units": "256,64", "epochs": "2", "n_train": "500"})
    train = next(b for b in at.button if WRAPPED.fullmatch(b.label) and "Train" in b.label)
    train.click()
    run_until(at, lambda a: len(a.metric) >= 4 and not next(b for b in a.button if b.label == train.label).disabled)
    for page in ("pages/train.py", "pages/draw.py", "pages/inside.py"):
        at.switch_page(page).run()
        assert not at.exception
        texts = shown_texts(at)
        leftovers = {t: words for t in texts if (words := unmarked_english(t))}
        assert leftovers == {}, page


def test_an_earlier_runs_line_is_in_the_language_it_is_read_in():
    """Compare runs names a run trained before a switch to 中文 in Chinese after it (it kept an English line)."""
    from fcviz.settings.spec import NetworkSpec
    from fcviz.settings.train_config import TrainConfig
    from fcviz.train.training import Run
    from ui.runs import PastRun

    run = Run(NetworkSpec(), TrainConfig(), "MNIST sample")
    run.number = 1
    try:
        i18n.use("en")
        past = PastRun.of(run)
        assert past.label == run.label == "#1 784-128-10 relu, adam lr 0.001, 4,000 train"
        i18n.use("zh")
        assert past.label == run.label == "#1 784-128-10 relu，adam 学习率 0.001，训练集 4,000"
    finally:
        i18n.use("en")


def test_two_runs_apart_only_in_batch_size_or_initialisation_are_named_apart():
    """A run's line names its batch size and its initialisation when they are not the defaults (two runs apart only
    in them had the same line in Compare runs, My runs and on the board), in the reader's language."""
    from dataclasses import replace

    from fcviz.settings.described import settings_line
    from fcviz.settings.initializers import Init
    from fcviz.settings.spec import NetworkSpec
    from fcviz.settings.train_config import TrainConfig

    plain = settings_line(NetworkSpec(), TrainConfig(), 0.001, 1.0)
    other = settings_line(replace(NetworkSpec(), init=Init.HE), replace(TrainConfig(), batch_size=1000), 0.001, 1.0)
    assert "batch" not in plain and "init" not in plain
    assert other == plain + ", init He (normal), batch 1,000"
    try:
        i18n.use("zh")
        assert settings_line(replace(NetworkSpec(), init=Init.HE), replace(TrainConfig(), batch_size=1000), 0.001,
                             1.0).endswith("，初始化 He（正态分布），批大小 1,000")
    finally:
        i18n.use("en")


def test_a_links_language_is_kept_for_a_reload(open_app):
    """A link's `lang=` is remembered as this browser's language: the address drops a default `lang=en`, and a reload
    came back in the 中文 the browser had chosen before."""
    from ui import store as ui_store

    at = open_app(None, {"lang": "en"})
    assert at.session_state[keys.COOKIES][ui_store.LANG_COOKIE] == "en"
    plain = open_app(None)
    kept = plain.session_state[keys.COOKIES] if keys.COOKIES in plain.session_state else {}
    assert ui_store.LANG_COOKIE not in kept  # an address naming no language leaves the browser's choice alone
