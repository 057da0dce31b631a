"""The field table: every setting declared once, every field round-trips through a link, and
strict reading refuses exactly what lenient reading has to change."""
import dataclasses
import re
from pathlib import Path

import pytest

from fcviz import patches
from fcviz.settings import fields
from fcviz.settings.fields import FIELDS, HIDEABLE
from fcviz.settings.link import Settings
from fcviz.settings.spec import LayerSpec, NetworkSpec, SpecError
from fcviz.settings.train_config import TrainConfig

ROOT = Path(__file__).resolve().parents[1]


def other_value(f: fields.Field) -> object:
    """A valid value of `f` that is not its default (an extreme, to test the bounds too)."""
    if f.kind == "int":
        return f.high if f.default != f.high else f.low
    if f.kind == "float":
        return float(f.high) if f.default != f.high else float(f.low)
    if f.kind == "choice":
        return next(c for c in reversed(f.choices) if c != f.default)
    if f.kind == "bool":
        return not f.default
    return HIDEABLE


@pytest.mark.parametrize("f", FIELDS, ids=[f.key for f in FIELDS])
def test_each_field_round_trips_link_settings_link(f):
    value = other_value(f)
    text = f.format([value] if f.per_layer else value)
    settings, notes = Settings.from_link({f.key: text})
    assert notes == []
    assert settings.value(f) == ([value] if f.per_layer else value) != f.default
    query = settings.to_query()
    assert query[f.key] == text
    assert Settings.from_query(query) == settings
    assert Settings.from_link(query) == (settings, [])


@pytest.mark.parametrize("f", [f for f in FIELDS if f.kind in ("int", "float")], ids=lambda f: f.key)
def test_each_number_field_is_clamped_to_its_bounds_with_a_note(f):
    for outside, nearest in ((f.high * 2 + 1, f.high), (f.low - 1, f.low)):
        text = str(outside)
        settings, notes = Settings.from_link({f.key: text})
        got = settings.value(f)
        assert (got[0] if f.per_layer else got) == nearest
        assert any(f"'{f.key}={text}' is outside" in n for n in notes), notes
        with pytest.raises(SpecError):
            Settings.from_query({f.key: text})


def test_every_field_has_one_definition():
    assert len({f.key for f in FIELDS}) == len(FIELDS)
    widgets = [f.widget for f in (*FIELDS, fields.HIDDEN_LAYERS) if f.widget]
    assert len(set(widgets)) == len(widgets)
    assert HIDEABLE == tuple(f.key for f in FIELDS if f.hideable)  # hide names are URL keys
    # every attribute of the settings' dataclasses is a row of the table, and nothing else is
    holders = {"layer": LayerSpec, "network": NetworkSpec, "training": TrainConfig, "settings": Settings}
    structure = {"hidden", "network", "training"}  # what holds the others
    for owner, cls in holders.items():
        attrs = {a.name for a in dataclasses.fields(cls)} - structure
        assert attrs == {f.attr for f in fields.of(owner)}, owner
    # defaults come from the table
    default = Settings()
    assert all(default.value(f) == ([f.default] if f.per_layer else f.default) for f in FIELDS)


def test_typing_boxes_and_sizes_are_declared_on_number_fields_with_a_control():
    typed = {f.key for f in FIELDS if f.typed}
    assert {"units", "epochs", "batch", "n_train"} <= typed
    for f in FIELDS:
        if f.typed or f.sizes:
            assert f.kind in ("int", "float") and f.widget, f.key
        assert list(f.sizes) == sorted(set(f.sizes)) and all(f.low <= s <= f.high for s in f.sizes), f.key
    assert fields.field("units").sizes == (16, 32, 64, 128, 256, 512, 1024)  # the lecture's widths


def test_no_page_or_ui_module_spells_out_a_setting_again():
    """Widget keys, labels and bounds are read from the table, never written out elsewhere."""
    sources = {p: p.read_text() for d, files in (("pages", "*.py"), ("ui", "**/*.py"), ("fcviz", "*.py"))
               for p in (ROOT / d).glob(files) if p.name != "fields.py"}
    for f in (*FIELDS, fields.HIDDEN_LAYERS):
        for literal in filter(None, (f.widget, f.label if f.widget else None)):
            found = [p.name for p, text in sources.items() if re.search(rf"[\"']{re.escape(literal)}[\"']", text)]
            assert found == [], (literal, found)
    for bound in ("60_000", "60000", "MAX_EPOCHS", "MAX_LEARNING_RATE", "MIN_TRAIN_SIZE", "1_000"):
        assert [p.name for p, text in sources.items() if bound in text] == [], bound


GARBAGE = [{"units": "abc"}, {"units": "1,2", "act": "relu"}, {"dropout": "lots"}, {"lr": "0"}, {"epochs": "2.5"},
           {"classroom": "maybe"}, {"hide": "everything"}, {"data": "imagenet"}, {"nonsense": "1"},
           {"units": ",".join(["8"] * 9)}, {"act": "relu,relu"}]


@pytest.mark.parametrize("query", GARBAGE, ids=lambda q: str(q)[:30])
def test_strict_refuses_exactly_what_lenient_has_to_change(query):
    settings, notes = Settings.from_link(query)
    assert notes
    with pytest.raises(SpecError):
        Settings.from_query(query)
    assert Settings.from_query(settings.to_query()) == settings  # what lenient made is strictly valid


def test_per_layer_lists_of_the_wrong_length_are_named():
    settings, notes = Settings.from_link({"units": "64,32", "act": "tanh", "dropout": "0.1,0.2,0.3"})
    assert [h.activation for h in settings.network.hidden] == ["tanh", "relu"]
    assert [h.dropout for h in settings.network.hidden] == [0.1, 0.2]
    assert "'act' has 1 values for 2 hidden layers: the others use relu." in notes
    assert "'dropout' has 3 values for 2 hidden layers: the extra ones are ignored." in notes


def test_older_hide_names_still_work():
    settings, notes = Settings.from_link({"hide": "optimizer,train_size,layers"})
    assert notes == [] and settings.hide == ("opt", "n_train", "units", "act")
    assert Settings(hide=("optimizer",)).hide == ("opt",)


def test_patches_say_when_a_package_version_changes(monkeypatch):
    assert patches.check_versions() == []  # the installed versions are the ones the patches were written for
    monkeypatch.setattr(patches, "installed", lambda package: "9.9.0" if package == "keras" else None)
    (note,) = patches.check_versions()
    assert "keras" in note and "3.15" in note and "9.9.0" in note and "_all_reduce_sum_gradients" in note


@pytest.mark.parametrize("package", ["streamlit", "keras", "tensorflow-cpu", "distributed"])
def test_every_patched_package_is_checked_for_a_new_minor_version(monkeypatch, package):
    monkeypatch.setattr(patches, "installed", lambda name: "9999.99.0" if name == package else None)
    (note,) = patches.check_versions()
    assert package in note and patches.WRITTEN_FOR[package] in note and patches.PATCHES[package] in note


def test_a_link_value_longer_than_a_link_carries_is_not_read():
    settings, notes = Settings.from_link({"units": "1," * 100_000, "lr": "0." + "1" * 5000})
    assert settings.network == NetworkSpec() and settings.training.learning_rate == 1e-3
    assert any("'units' is 200,000 characters long" in n for n in notes)
    with pytest.raises(SpecError, match="characters long"):
        Settings.from_query({"units": "1," * 100_000})


def test_a_link_with_a_hundred_thousand_keys_is_read_in_one_pass():
    query = {f"k{i}": "1" for i in range(100_000)} | {"units": "64"}
    settings, notes = Settings.from_link(query)
    assert settings.network.widths == [784, 64, 10]
    assert notes == ["Ignored unknown link parameters: k0, k1, k10, k100, k101, k102, k103, k104, k105, k106 and "
                     "99,990 more."]
