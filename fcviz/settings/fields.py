"""Every setting fcviz has, declared once: its URL key, type, bounds or choices, default, label and help.

The table drives everything else: validation (`Field.check`), reading a link (`Field.parse`, strict
or lenient), writing one (`Field.format`), the names a classroom link may hide (the URL keys of the
hideable fields) and the widgets (`ui/widgets.py` draws a field from its row). A new setting is a
new row; a label changes here and nowhere else. (TensorFlow Playground's `state.ts` keeps one list
of properties the same way.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from fcviz.data import sources
from fcviz.data.mnist import N_CLASSES, N_PIXELS
from fcviz.i18n import LANGUAGES, N_, _, later
from fcviz.settings import augmentation, initializers, optimizers
from fcviz.settings.kinds import Kind, SpecError  # noqa: F401 (SpecError: re-exported)

HIDDEN_ACTIVATIONS: tuple[str, ...] = ("relu", "sigmoid", "tanh", "linear")
OUTPUT_ACTIVATIONS: tuple[str, ...] = ("softmax", "linear", "sigmoid")
LEARNING_RATES: tuple[float, ...] = (1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BATCH_SIZES: tuple[int, ...] = (8, 16, 32, 64, 128, 256, 512, 1024)
WIDTHS: tuple[int, ...] = (16, 32, 64, 128, 256, 512, 1024)  # the layer widths the lecture's networks use
L2_VALUES: tuple[float, ...] = (0.0, 1e-5, 1e-4, 1e-3, 1e-2, 0.1)
DECAYS: tuple[float, ...] = (0.5, 0.7, 0.8, 0.9, 0.95, 1.0)
TRAIN_SIZES: tuple[int, ...] = (10, 20, 50, 100, 200, 300, 500, 1000, 2000, 3000, 4000, 6000, 10_000, 20_000,
                                30_000, 60_000)
MAX_TRAIN_SIZE = 60_000  # full MNIST's training set
NAME = re.compile(r"\w[\w .+()-]{0,99}")  # a name a link may give after a choice field's `named` prefix


def short(text: str, limit: int = 40) -> str:
    """A link value as quoted back in a note: long garbage would bury the message."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class Field:
    """One setting. `owner` and `attr` say where its value lives (`layer` fields hold one value per
    hidden layer, written as a comma list); `widget` is the session-state key of its control
    (`None`: no control); `stops` makes the control a select slider whose values a link may fall
    between; `typed` adds a box to type the exact number in beside its slider; `sizes` are values
    one click away under it (the lecture's layer widths); `aliases` are older names `hide=` still accepts."""

    key: str
    owner: str  # "layer", "network", "training", "settings" or "" (not carried by links)
    attr: str
    kind: Kind
    default: object
    label: str
    name: str = ""  # how messages call it; the label in lower case unless given
    help: str | None = None
    help_values: tuple[tuple[str, object], ...] = ()  # (placeholder, number) the help text names
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    choice_labels: tuple[tuple[str, str], ...] = ()
    stops: tuple = ()
    typed: bool = False  # a number box beside the slider: exact values in one move
    sizes: tuple = ()  # one-click values under the slider
    step: float | None = None
    fmt: str = "{}"
    widget: str | None = None
    hideable: bool = False
    quiet: bool = False  # left out of a link while it has its default
    aliases: tuple[str, ...] = ()
    hidden_with: str | None = None  # the hideable key whose `hide=` hides this control too
    added: object = None  # per-layer: what a layer added on the Build page (or unreadable in a link) gets
    named: str = ""  # a choice field: `named` + a NAME is valid too (a set the server offers by name)

    @property
    def fallback(self) -> object:
        """The value that stands in for an unreadable one."""
        return self.added if self.added is not None else self.default

    @property
    def caption(self) -> str:
        """The label in the reader's language."""
        return _(self.label)

    @property
    def tip(self) -> str | None:
        """The help text in the reader's language."""
        return _(self.help).format(**dict(self.help_values)) if self.help else None

    @property
    def title(self) -> str:
        """How English messages call it: its `name`, else its label in lower case."""
        return self.name or self.label.lower()

    @property
    def per_layer(self) -> bool:
        """One value per hidden layer (a comma list in links)."""
        return self.owner == "layer"

    def show(self, value: object) -> str:
        """A value as the page writes it: `0.001`, `4,000`, the label of a choice."""
        labels = dict(self.choice_labels)
        return _(labels[value]) if value in labels else self.fmt.format(value)

    def widget_key(self, layer: int | None = None) -> str:
        """The session-state key of its control (of hidden layer `layer` for per-layer fields)."""
        if self.widget is None:
            raise SpecError(f"{self.key} has no control")
        return self.widget if layer is None else f"{self.widget}_{layer}"

    # --- strict: a value is valid or raises ------------------------------------------------------
    def check(self, value: object) -> object:
        """`value` if it is valid for this field (ints widen to float where a float is wanted)."""
        return self.kind.rules.check(self, value)

    def is_named(self, value: object) -> bool:
        """Whether `value` is `named` + a name (whether the server has that set is the page's to say)."""
        return bool(self.named) and isinstance(value, str) and value.startswith(self.named) \
            and NAME.fullmatch(value.removeprefix(self.named)) is not None

    @property
    def choice_words(self) -> str:
        """The valid choices as a message lists them."""
        return ", ".join(self.choices) + (f" or {self.named}NAME" if self.named else "")

    def check_keys(self, value: object) -> tuple[str, ...]:
        """The hideable keys named in `value`, older names replaced by today's, each once."""
        names = tuple(value) if isinstance(value, (tuple, list)) else ()
        keys, bad = resolve_hidden(names)
        if bad or not isinstance(value, (tuple, list)):
            raise SpecError(f"{self.title} accepts {', '.join(HIDEABLE)}; got {', '.join(map(str, bad or [value]))}")
        return keys

    # --- text, as links carry it -------------------------------------------------------------------
    def format(self, value: object) -> str:
        """`value` as a link carries it (per-layer values as a comma list)."""
        if self.per_layer:
            return ",".join(self._format_one(v) for v in value)
        return self._format_one(value)

    def _format_one(self, value: object) -> str:
        return self.kind.rules.write(value)

    def parse(self, text: str | None, notes: list[str] | None, layers: int | None = None) -> object:
        """The value a link's `text` means (`None`: the key is absent). Strict when `notes` is None: bad
        text raises SpecError. Lenient otherwise: the nearest valid value, and a sentence in `notes`
        saying what changed. `layers` is the number of hidden layers, for per-layer fields."""
        if self.per_layer:
            return self._parse_layers(text, notes, layers)
        if text is None:
            return self.default
        if self.kind == Kind.KEYS:
            return self._parse_keys(text, notes)
        return self._parse_one(text, notes)

    def _parse_one(self, text: str, notes: list[str] | None) -> object:
        try:
            return self.check(self.kind.rules.convert(self, text.strip()))
        except SpecError:
            if notes is None:
                raise
        value, why = self.kind.rules.nearest(self, text)
        notes.append(later("'{key}={text}' {why}: using {value}.", key=self.key, text=short(text), why=why,
                           value=self._format_one(value)))
        return value

    def _parse_layers(self, text: str | None, notes: list[str] | None, layers: int | None) -> list:
        parts = [t.strip() for t in text.split(",")] if text and text.strip() else []
        if layers is None:  # the field that says how many hidden layers there are
            if text is None:
                parts = [self._format_one(self.default)]
            if len(parts) > HIDDEN_LAYERS.high:
                if notes is None:
                    raise SpecError(f"at most {HIDDEN_LAYERS.high} hidden layers are allowed, got {len(parts):,}")
                notes.append(later("{n:,} hidden layers asked for; the limit is {limit}: keeping the first {limit}.",
                                   n=len(parts), limit=HIDDEN_LAYERS.high))
                parts = parts[:HIDDEN_LAYERS.high]
            layers = len(parts)
        elif parts and len(parts) != layers:
            if notes is None:
                raise SpecError(f"{self.key} needs {layers} comma-separated values (one per hidden layer), "
                                f"got {len(parts)}")
            rest = (later("the extra ones are ignored") if len(parts) > layers
                    else later("the others use {value}", value=self.show(self.default)))
            notes.append(later("'{key}' has {n} values for {layers} hidden layers: {rest}.", key=self.key,
                               n=len(parts), layers=layers, rest=rest))
        parts += [self._format_one(self.default)] * (layers - len(parts))
        return [self._parse_one(p, notes) for p in parts[:layers]]

    def _parse_keys(self, text: str, notes: list[str] | None) -> tuple[str, ...]:
        keys, bad = resolve_hidden([t.strip() for t in text.split(",") if t.strip()])
        if bad:
            if notes is None:
                raise SpecError(f"{self.title} accepts {', '.join(HIDEABLE)}; got {', '.join(bad)}")
            notes.append(later("Cannot hide {names}; hideable controls: {hideable}.", names=short(", ".join(bad)),
                               hideable=", ".join(HIDEABLE)))
        return keys


# The number of hidden layers: no link key of its own (the per-layer lists carry it), one control.
HIDDEN_LAYERS = Field("n_hidden", "", "", Kind.INT, 1, N_("Hidden layers"), low=0, high=8, widget="build_n_hidden",
                      hidden_with="units", help=N_("0 to 8. 0 hidden layers is plain softmax regression."))

FIELDS: tuple[Field, ...] = (
    Field("input", "network", "input_size", Kind.INT, N_PIXELS, N_("Input size"), low=1, high=4096),
    Field("units", "layer", "units", Kind.INT, 128, N_("Units"), low=1, high=1024, widget="build_units", hideable=True,
          aliases=("layers",), fmt="{:,}", added=64, help=N_("1 to 1,024 units"), typed=True, sizes=WIDTHS),
    Field("act", "layer", "activation", Kind.CHOICE, "relu", N_("Activation"), choices=HIDDEN_ACTIVATIONS,
          widget="build_act", hideable=True, aliases=("layers",)),
    Field("dropout", "layer", "dropout", Kind.FLOAT, 0.0, N_("Dropout after it"), name="dropout", low=0.0, high=0.9,
          step=0.05, fmt="{:g}", widget="build_dropout", hideable=True,
          help=N_("Share of this layer's units switched off at random in each training step (never at test time): "
                  "a remedy for overfitting.")),
    Field("bn", "layer", "batchnorm", Kind.BOOL, False, N_("Batch norm"), name="batch norm", widget="build_bn",
          hideable=True, help=N_("Batch normalisation between X @ W + b and the activation: each unit's z is centred "
                                 "and scaled by the batch's mean and variance while training (by their moving averages "
                                 "at test time), then stretched by γ and shifted by β, two weights it learns.")),
    Field("out", "network", "output_units", Kind.INT, N_CLASSES, N_("Output units"), low=1, high=1024),
    Field("out_act", "network", "output_activation", Kind.CHOICE, "softmax", N_("Output activation"),
          choices=OUTPUT_ACTIVATIONS),
    Field("init", "network", "init", Kind.CHOICE, initializers.DEFAULT, N_("Initialisation"), name="initialisation",
          choices=initializers.NAMES, choice_labels=tuple((i.init, i.label) for i in initializers.INITIALIZERS),
          widget="build_init", hideable=True,
          help=N_("How every kernel's weights start, before any training (biases start at 0). It sets the spread of "
                  "each layer's outputs: see the plot under the layer table.")),
    Field("skip", "network", "skip", Kind.BOOL, False, N_("Skip connections"), name="skip connections",
          widget="build_skip", hideable=True,
          help=N_("ResNet's idea: each hidden layer's input is added to its output, h₂ = relu(h₁ @ W + b) + h₁, "
                  "where the two have the same width. The gradient then also flows straight back past the layer.")),
    Field("data", "settings", "data", Kind.CHOICE, sources.DEFAULT, N_("Dataset"), choices=sources.NAMES,
          choice_labels=tuple((s.name, s.label) for s in sources.SOURCES), widget="train_source", hideable=True,
          help=N_("The bundled sample: 5,000 real MNIST digits, 4,000 to train and 1,000 to test, always there, "
                  "offline. Full MNIST: 60,000 / 10,000 digits, which Keras downloads once (11 MB). Fashion-MNIST: "
                  "60,000 / 10,000 images of 10 kinds of clothes, in the same 28×28 format."),
          named=sources.FOLDER),
    Field("n_train", "training", "train_size", Kind.INT, 4000, N_("Training-set size"), low=10, high=MAX_TRAIN_SIZE,
          stops=TRAIN_SIZES, fmt="{:,}", widget="train_size", hideable=True, aliases=("train_size",), typed=True,
          help=N_("Small sets overfit fast: that is the point of the experiment.")),
    Field("epochs", "training", "epochs", Kind.INT, 10, N_("Epochs"), low=1, high=200, widget="train_epochs",
          hideable=True, typed=True),
    Field("batch", "training", "batch_size", Kind.INT, 128, N_("Batch size"), low=1, high=MAX_TRAIN_SIZE,
          stops=BATCH_SIZES, fmt="{:,}", widget="train_batch", hideable=True, typed=True),
    Field("opt", "training", "optimizer", Kind.CHOICE, optimizers.DEFAULT, N_("Optimizer"), choices=optimizers.NAMES,
          widget="train_optimizer", hideable=True, aliases=("optimizer",)),
    Field("lr", "training", "learning_rate", Kind.FLOAT, 1e-3, N_("Learning rate"), low=1e-6, high=10.0,
          stops=LEARNING_RATES, fmt="{:g}", widget="train_lr", hideable=True,
          help=N_("Log scale. Too high: a noisy curve or NaN. Too low: hardly moves.")),
    Field("decay", "training", "lr_decay", Kind.FLOAT, 1.0, N_("Learning-rate decay per epoch"),
          name="learning-rate decay", low=0.5, high=1.0, stops=DECAYS, fmt="×{:g}", widget="train_decay", hideable=True,
          help=N_("After every epoch the rate is multiplied by this: 1 keeps it fixed; 0.9 makes it a tenth smaller "
                  "each epoch, so a rate that starts too high settles down.")),
    Field("l2", "training", "l2", Kind.FLOAT, 0.0, N_("L2 weight penalty"), name="L2", low=0.0, high=1.0,
          stops=L2_VALUES, fmt="{:g}", widget="train_l2", hideable=True),
    Field("augment", "training", "augment", Kind.BOOL, False, N_("Augmentation"), name="augmentation",
          widget="train_augment", hideable=True, help_values=augmentation.WORDS,
          help=N_("Every training image is moved by up to {shift} pixels, turned by up to {turn}° and scaled by up to {zoom:.0%}, "
                  "anew in every epoch: the network learns that a moved digit is the same digit. Training is slower.")),
    Field("seed", "training", "seed", Kind.INT, 0, N_("Seed"), low=0, high=2**31 - 1),
    Field("classroom", "settings", "classroom", Kind.BOOL, False, N_("Classroom link (big text)"), name="classroom",
          widget="share_classroom", quiet=True),
    Field("hide", "settings", "hide", Kind.KEYS, (), N_("Hide these controls"), name="hide", widget="share_hide",
          quiet=True),
    Field("lang", "settings", "lang", Kind.CHOICE, "en", N_("Language"), name="language", choices=tuple(LANGUAGES),
          choice_labels=tuple(LANGUAGES.items()), widget="view_lang", quiet=True),
)
BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
HIDEABLE: tuple[str, ...] = tuple(f.key for f in FIELDS if f.hideable)


def resolve_hidden(names: Sequence[str]) -> tuple[tuple[str, ...], list[str]]:
    """The hideable keys `names` mean (older names such as `optimizer` included), and the names that mean none."""
    keys: list[str] = []
    bad: list[str] = []
    for name in names:
        meant = [f.key for f in FIELDS if f.hideable and (name == f.key or name in f.aliases)]
        if not meant:
            bad.append(str(name))
        keys += [k for k in meant if k not in keys]
    return tuple(keys), bad


def of(owner: str) -> tuple[Field, ...]:
    """The fields held by one kind of object (`layer`, `network`, `training`, `settings`)."""
    return tuple(f for f in FIELDS if f.owner == owner)


def field(key: str) -> Field:
    """The row of link key `key`."""
    return BY_KEY[key]


def validate(obj: object, owner: str) -> None:
    """Check (and normalise) every attribute of the frozen dataclass `obj` that the table gives `owner`."""
    for f in of(owner):
        object.__setattr__(obj, f.attr, f.check(getattr(obj, f.attr)))


# ---- links: the table reads and writes them ----------------------------------------------------
LINK_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS)
# not settings: where a link leads in the class store (`ui/saved.py`, `ui/classes.py`)
RUN_KEY = "run"  # a saved run's token: its private link
CLASS_KEY = "class"  # a class code: students who open the link are asked only for a nickname
TEACHER_KEY = "key"  # a class's teacher key: opens its board
PLACE_KEYS: tuple[str, ...] = (RUN_KEY, CLASS_KEY, TEACHER_KEY)
MAX_VALUE_CHARS = 4096  # 8 layers of "1024" take 40; longer values are not read at all


def values_of(obj: object, owner: str) -> dict[str, object]:
    """The values (by link key) of the fields `obj` holds as `owner`."""
    return {f.key: getattr(obj, f.attr) for f in of(owner)}


def attrs_of(values: Mapping[str, object], owner: str) -> dict[str, object]:
    """The attributes (by name) that `owner`'s fields take from `values` (by link key)."""
    return {f.attr: values[f.key] for f in of(owner) if f.key in values}


def write_query(values: Mapping[str, object]) -> dict[str, str]:
    """Link parameters for `values` (by key); quiet fields are left out while they have their default."""
    return {f.key: f.format(values[f.key]) for f in FIELDS
            if f.key in values and not (f.quiet and values[f.key] == f.default)}


def read_query(query: Mapping[str, str], notes: list[str] | None) -> dict[str, object]:
    """The value of every field that `query` means. Strict when `notes` is None (SpecError for anything
    unknown or invalid); lenient otherwise: the nearest valid values, and a sentence per change in `notes`."""
    unknown = [key for key in query if key not in LINK_KEYS and key not in PLACE_KEYS]  # maybe a million keys
    if unknown:
        more = f" and {len(unknown) - 10:,} more" if len(unknown) > 10 else ""
        listed = f"{', '.join(short(k) for k in sorted(unknown[:1000])[:10])}{more}"
        if notes is None:
            raise SpecError(f"unknown link parameters: {listed}")
        notes.append(later("Ignored unknown link parameters: {names}.", names=listed))
    values: dict[str, object] = {}
    layers = None
    for f in FIELDS:
        text = query.get(f.key)
        if text is not None and len(text) > MAX_VALUE_CHARS:
            if notes is None:
                raise SpecError(f"{f.key} is {len(text):,} characters long; links carry at most {MAX_VALUE_CHARS:,}")
            notes.append(later("'{key}' is {n:,} characters long, more than a link carries ({limit:,}): using the "
                               "default.", key=f.key, n=len(text), limit=MAX_VALUE_CHARS))
            text = None
        values[f.key] = f.parse(text, notes, layers)
        if f.per_layer and layers is None:  # the first per-layer field says how many layers there are
            layers = len(values[f.key])
    return values
