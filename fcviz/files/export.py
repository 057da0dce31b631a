"""A run as a Python script a student can run at home: Keras and numpy only, the same data, network,
settings and seed, and the same order of samples as fcviz, so it ends at the same test accuracy.

fcviz trains with its own in-graph step (`fcviz.train.steps`), which gives `fit`'s numbers; the script
uses plain `model.fit`, one epoch at a time, because that is what the notes teach.
"""
from __future__ import annotations

from fcviz.data.loading import IDX_FILES, SAMPLE_PATH
from fcviz.data.sources import MNIST, SAMPLE, folder_name
from fcviz.net.forward import CHUNK
from fcviz.settings import augmentation, initializers, optimizers
from fcviz.settings.spec import NetworkSpec
from fcviz.settings.train_config import TrainConfig
from fcviz.train.steps import AUGMENT_SHIFT, AUGMENT_TURN, AUGMENT_ZOOM

SAMPLE_FILE = SAMPLE_PATH.name  # what the Train page offers for download beside the script

_LOADERS = {
    SAMPLE: f'''def load_data(path="{SAMPLE_FILE}"):
    """fcviz's bundled MNIST sample: download {SAMPLE_FILE} from the app's Train page, put it beside this file."""
    import os

    if not os.path.isfile(path):
        raise SystemExit(f"{{path}} is not beside this script: download it from fcviz's Train page "
                         "(Download the sample (.npz)) and put it in the same folder as this file.")
    with np.load(path) as f:
        return f["x_train"], f["y_train"], f["x_test"], f["y_test"]''',
    MNIST: '''def load_data():
    """The full MNIST (60,000 train / 10,000 test), downloaded by Keras the first time."""
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    return x_train, y_train, x_test, y_test''',
    "files": f'''def load_data(path="DATA"):
    """Your own copy of the data: a .npz file in Keras' mnist.npz layout, or a folder with the four IDX
    files ({", ".join(IDX_FILES.values())})."""
    if path.endswith(".npz"):
        with np.load(path) as f:
            return f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    import gzip
    import os

    def idx(name, skip):
        with gzip.open(os.path.join(path, name)) as f:
            return np.frombuffer(f.read()[skip:], dtype=np.uint8)
    x_train, x_test = (idx(n, 16).reshape(-1, 784) for n in ("{IDX_FILES["x_train"]}", "{IDX_FILES["x_test"]}"))
    y_train, y_test = (idx(n, 8) for n in ("{IDX_FILES["y_train"]}", "{IDX_FILES["y_test"]}"))
    return x_train, y_train, x_test, y_test''',
}


_AUGMENTATION = f'''
# augmentation: up to {augmentation.SHIFT_PIXELS} pixels of shift, {augmentation.TURN_DEGREES} degrees of turn and {augmentation.ZOOM:.0%} of zoom, anew every epoch
augment = keras.Sequential([
    keras.layers.Reshape((28, 28, 1)),
    keras.layers.RandomTranslation({AUGMENT_SHIFT * 28:g} / 28, {AUGMENT_SHIFT * 28:g} / 28, fill_mode="constant", seed=SEED),
    keras.layers.RandomRotation({AUGMENT_TURN * 360:g} / 360, fill_mode="constant", seed=SEED),  # a fraction of a turn
    keras.layers.RandomZoom({AUGMENT_ZOOM!r}, fill_mode="constant", seed=SEED),
    keras.layers.Reshape((784,)),
])
'''


def _loader(source: str) -> str:
    if source in _LOADERS:
        return _LOADERS[source]
    path = folder_name(source) or "my_data.npz"
    return _LOADERS["files"].replace('"DATA"', repr(path))


def _layers(spec: NetworkSpec, l2: float) -> list[list[str]]:
    """Each hidden layer's chain of Keras layers, then the output's, exactly as `fcviz.net.model.build_model` makes
    them (same initial weights): a Dense, with BatchNormalization and an Activation after it for batch norm (between
    X @ W + b and the activation), and its Dropout."""
    reg = f",\n        kernel_regularizer=keras.regularizers.L2({l2!r})" if l2 > 0 else ""  # weight decay
    start = initializers.BY_NAME[spec.init]  # how every kernel starts: hidden layer i seeded SEED + i, the output SEED
    blocks = []
    for i, h in enumerate(spec.hidden, 1):
        activation = "linear" if h.batchnorm else h.activation
        block = [(f'keras.layers.Dense({h.units}, activation="{activation}", '
                  f"kernel_initializer={start.code(f'SEED + {i}')}{reg})")]
        if h.batchnorm:  # z = X @ W + b is normalised, then goes through the activation
            block += ["keras.layers.BatchNormalization()", f'keras.layers.Activation("{h.activation}")']
        if h.dropout > 0:
            block.append(f"keras.layers.Dropout({h.dropout!r}, seed=SEED)")
        blocks.append(block)
    blocks.append([(f'keras.layers.Dense({spec.output_units}, activation="{spec.output_activation}", '
                    f"kernel_initializer={start.code('SEED')}{reg})")])
    return blocks


def _model(spec: NetworkSpec, l2: float) -> str:
    """The code that makes the model: a Sequential, or with skip connections the functional API, each hidden layer's
    input added to its output where the widths match (h₂ = relu(h₁ @ W + b) + h₁)."""
    blocks = _layers(spec, l2)
    if not spec.skip:
        lines = [f"keras.Input(shape=({spec.input_size},)),", *(f"{layer}," for block in blocks for layer in block)]
        return "model = keras.Sequential([\n" + "\n".join("    " + line for line in lines) + "\n])"
    lines = [f"inputs = keras.Input(shape=({spec.input_size},))", "h = inputs"]
    for i, (block, skip) in enumerate(zip(blocks, spec.skips()), 1):
        lines.append(f"x = {block[0]}(h)")
        lines += [f"x = {layer}(x)" for layer in block[1:]]
        lines.append(f"h = keras.layers.Add()([x, h])  # skip connection: the layer's input added to its output "
                     f"({skip.n_in} = {skip.n_out})" if skip.fits else
                     f"h = x  # no skip connection: {skip.n_in} inputs, {skip.n_out} outputs")
    lines += [f"outputs = {blocks[-1][0]}(h)", "model = keras.Model(inputs, outputs)"]
    return "\n".join(lines)


def run_script(spec: NetworkSpec, config: TrainConfig, source: str, data_name: str = "MNIST",
               epochs: int | None = None, learning_rate: float | None = None, lr_decay: float | None = None) -> str:
    """The whole script for data `source` (a `load_dataset` source, or "upload"). `epochs`, `learning_rate`
    and `lr_decay` are the run's own when it has trained or was changed since (default: the settings')."""
    epochs = config.epochs if epochs is None else epochs
    rate = config.learning_rate if learning_rate is None else learning_rate
    decay = config.lr_decay if lr_decay is None else lr_decay
    schedule = ("    model.optimizer.learning_rate.assign(LEARNING_RATE * LR_DECAY**epoch)  "
                "# learning-rate decay: smaller steps as it learns\n" if decay < 1 else "")
    augmentation = _AUGMENTATION if config.augment else ""
    augmented = ("    x = augment(x_train[order], training=True).numpy()  # each image moved, turned and scaled anew\n"
                 if config.augment else "    x = x_train[order]\n")
    return f'''"""A fully connected network {spec.name} trained on {data_name}, as fcviz trained it.

Needs only Keras and numpy:   pip install tensorflow numpy    then   python {script_name(spec)}
The same data, network, settings, seed and order of samples as the app: it ends at the test
accuracy the app showed (within about a point: the arithmetic is done in a different order).
"""
import numpy as np
import keras

SEED = {config.seed}
EPOCHS = {epochs}
BATCH_SIZE = {config.batch_size}
LEARNING_RATE = {rate!r}
LR_DECAY = {decay!r}  # each epoch's rate is the one before times this
TRAIN_SIZE = {config.train_size}  # training digits used (a subset chosen by the seed)


{_loader(source)}


def scaled(x):
    """Each image as 784 numbers in [0, 1], as the network reads it."""
    x = np.asarray(x, dtype="float32").reshape(len(x), 784)
    return x / 255.0 if x.max() > 1.0 else x


x_train, y_train, x_test, y_test = load_data()
x_train, x_test = scaled(x_train), scaled(x_test)
y_train, y_test = np.asarray(y_train, dtype="int64"), np.asarray(y_test, dtype="int64")
subset = np.random.default_rng(SEED).permutation(len(y_train))[:TRAIN_SIZE]

{_model(spec, config.l2)}
model.compile(optimizer=keras.optimizers.{optimizers.BY_NAME[config.optimizer].keras_class}(learning_rate=LEARNING_RATE),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.summary()
{augmentation}
for epoch in range(EPOCHS):
{schedule}    order = subset[np.random.default_rng((SEED, epoch)).permutation(len(subset))]  # this epoch's shuffle
{augmented}    history = model.fit(x, y_train[order], batch_size=BATCH_SIZE, epochs=1, shuffle=False, verbose=0)
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size={CHUNK}, verbose=0)
    print(f"epoch {{epoch + 1}}: loss {{history.history['loss'][0]:.4f}}, accuracy {{history.history['accuracy'][0]:.4f}}, "
          f"test loss {{test_loss:.4f}}, test accuracy {{test_accuracy:.4f}}")

print(f"test accuracy: {{test_accuracy:.4f}}")
'''


def script_name(spec: NetworkSpec) -> str:
    """The script's download name, after its network (`fcviz_784_128_10.py`), so a student's scripts of several networks
    do not overwrite each other."""
    return f"fcviz_{spec.name.replace('-', '_')}.py"
