"""The training step, run many batches per call inside one TensorFlow graph.

`model.fit` pays Python and tf.data overhead for every batch; on networks this size that
overhead, not the arithmetic, is most of its time. `Stepper` keeps the data set resident as
tensors and runs a chunk of batches in one `tf.function` call, returning every batch's loss and
accuracy, so the page still gets a smooth curve between chunks. The loss is Keras' own
`compute_loss` (cross-entropy plus L2 penalties, as `fit` reports it), the update Keras' own
optimizer, dropout Keras' own layer: same numbers as `fit`, fewer calls.

The graph is traced once per architecture and reused: a new run loads its weights and optimizer
state into the variables (`load`), so only the first run of a network pays for tracing. The test set is scored
outside it, in numpy (`fcviz.net.scores`): no graph of its own to trace per network.
"""
from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager
from typing import Iterator

import keras
import numpy as np
import tensorflow as tf

from fcviz import patches
from fcviz.data.mnist import IMAGE_SIDE, N_PIXELS
from fcviz.net.forward import DenseWeights
from fcviz.net.model import build_model
from fcviz.net.reader import dense_weights
from fcviz.settings import augmentation, optimizers
from fcviz.settings.spec import NetworkSpec

SECONDS_PER_CALL = 0.1  # training work per graph call: Python runs (and the curve updates) about this often
FLOPS_PER_SECOND = 2e10  # a rough rate on one core here, only to size the calls
MAX_ROWS = 256


def make_optimizer(name: str, learning_rate: float) -> keras.optimizers.Optimizer:
    """Keras' optimizer called `name` in the optimizer table, patched as fcviz trains with it."""
    optimizer = getattr(keras.optimizers, optimizers.BY_NAME[name].keras_class)(learning_rate=learning_rate)
    patches.skip_replica_sum(optimizer)  # otherwise every training leaks its traced graph
    return optimizer


def compiled(spec: NetworkSpec, optimizer: str, learning_rate: float, seed: int | None = None,
             l2: float = 0.0) -> keras.Sequential:
    """A built model compiled as fcviz trains it."""
    return compile_for_training(build_model(spec, seed=seed, l2=l2), optimizer, learning_rate)


def compile_for_training(model: keras.Model, optimizer: str, learning_rate: float) -> keras.Model:
    """The loss that `fit` and `Stepper` both report: cross-entropy plus the layers' L2 penalties."""
    model.compile(optimizer=make_optimizer(optimizer, learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


# Keras' layers take fractions: of the image's side, of a whole turn
AUGMENT_SHIFT = augmentation.SHIFT_PIXELS / IMAGE_SIDE
AUGMENT_TURN = augmentation.TURN_DEGREES / 360
AUGMENT_ZOOM = augmentation.ZOOM


def augmenter() -> keras.Sequential:
    """Augmentation, Keras' own layers run inside the training step: every batch's images moved, turned and
    scaled (`fcviz.settings.augmentation`), anew each time (at test time they do nothing)."""
    layers = keras.layers
    return keras.Sequential([
        layers.Reshape((IMAGE_SIDE, IMAGE_SIDE, 1)),
        layers.RandomTranslation(AUGMENT_SHIFT, AUGMENT_SHIFT, fill_mode="constant"),
        layers.RandomRotation(AUGMENT_TURN, fill_mode="constant"),
        layers.RandomZoom(AUGMENT_ZOOM, fill_mode="constant"),
        layers.Reshape((N_PIXELS,)),
    ], name="augmentation")


class Stepper:
    """One model, its optimizer and the traced graphs that train it.

    A training call runs up to `rows` full batches (an int tensor [rows, batch_size] of sample
    indices, padded, and how many rows are real), so one compiled graph serves every call; a last,
    smaller batch gets a call of its own. Networks without dropout also get an XLA-compiled copy of
    the graph for full calls (about 2.5x faster here, XLA's random numbers make dropout slower on
    this CPU), and for the epoch's last, smaller batch when its size is known (a call of the plain graph
    costs it ~2.5 ms, ~6 % of a sample training's ten); compiling takes seconds, so it is done apart
    (`compile_xla`) and used once `xla_ready`. The compiled calls go straight to their concrete
    functions (`tf.function`'s lookup of the arguments' signature was ~0.3 ms of each call).
    """

    def __init__(self, spec: NetworkSpec, optimizer: str, l2: float, augment: bool = False,
                 gradients: bool = True) -> None:
        self.model = compiled(spec, optimizer, 1e-3, l2=l2)
        # which trainable variables are the Dense layers' kernels, in the network's order: their gradients' sizes
        dense = [layer.kernel for layer in self.model.layers if isinstance(layer, keras.layers.Dense)]
        self._kernels = [i for i, v in enumerate(self.model.trainable_variables) if any(v is k for k in dense)] \
            if gradients else []
        self.augmenter = augmenter() if augment else None
        self.optimizer = self.model.optimizer
        self.optimizer.build(self.model.trainable_variables)
        self.halt = tf.Variable(False, trainable=False)  # set from another thread: stops within one batch
        self.xla = not any(h.dropout for h in spec.hidden) and not augment  # random numbers are slow under XLA here
        # the XLA graphs compiled, by (training samples, batches' shape): what a call's arguments must have
        self._compiled: dict[tuple[int, int, int], tf.types.experimental.ConcreteFunction] = {}
        self.flops_per_sample = 6 * self.model.count_params()  # forward and backward, roughly
        self._graph = tf.function(self._chunk_fn, reduce_retracing=True)
        self._xla = tf.function(self._chunk_fn, jit_compile=True, reduce_retracing=True)

    @property
    def xla_ready(self) -> bool:
        """Whether its XLA graph is compiled (`compile_xla`): the trainings of this architecture that follow use it."""
        return bool(self._compiled)

    def load(self, weights: list[np.ndarray], optimizer_state: list[np.ndarray] | None,
             learning_rate: float, seed: int) -> None:
        """Start from these weights and optimizer state (None: a fresh optimizer), dropout seeded by `seed`."""
        self.model.set_weights(weights)
        fresh = optimizer_state is None
        for v, value in zip(self.optimizer.variables, [] if fresh else optimizer_state):
            v.assign(value)
        if fresh:
            for v in self.optimizer.variables:
                v.assign(tf.zeros_like(v))
        self.optimizer.learning_rate.assign(learning_rate)
        for layer in self.model.layers:
            generator = getattr(layer, "seed_generator", None)
            if generator is not None:
                generator.state.assign(keras.random.SeedGenerator(seed).state.value)
        self.halt.assign(False)

    def weights(self) -> list[np.ndarray]:
        """The trained weights, for the outcome and the snapshots."""
        return self.model.get_weights()

    def layers(self) -> list[DenseWeights]:
        """The network as numpy copies of its Dense layers (`fcviz.net.reader.dense_weights`): a job reads them once,
        and puts the weights of each point it scores into them (`fcviz.net.snapshots.layers_at`)."""
        return dense_weights(self.model)

    def optimizer_state(self) -> list[np.ndarray]:
        """The optimizer's variables as numpy copies: Continue resumes with them (`load`)."""
        return [np.array(v.numpy()) for v in self.optimizer.variables]

    def rows_per_call(self, batch_size: int, seconds: float = SECONDS_PER_CALL) -> int:
        """Full batches per call: about `seconds` of work, a power of 4 (few shapes to compile)."""
        fit = seconds * FLOPS_PER_SECOND / (self.flops_per_sample * batch_size)
        rows = 1
        while rows * 4 <= min(fit, MAX_ROWS):
            rows *= 4
        return rows

    def train(self, x: tf.Tensor, y: tf.Tensor, order: np.ndarray, batch_size: int, rows: int,
              first: int = 0, every: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Train on the samples `order` indexes (at most `rows` full batches, or one smaller batch).

        Returns per-batch losses, accuracies and gradient sizes (a row per batch: the mean absolute value of
        each Dense kernel's gradient, first layer first; no columns when the Stepper tracks none): fewer rows
        than batches when `halt` was set or a loss stopped being finite. The sizes are measured on every
        `every`-th batch of the epoch (`first`: the index of this call's first batch in it), NaN on the others:
        reading every gradient once more costs ~20 % of a small network's step, one batch per curve point ~1 %."""
        full = len(order) // batch_size
        if full == 0:
            batches, rows, count = order.reshape(1, -1), 1, 1
        else:
            batches = np.zeros((rows, batch_size), np.int32)
            batches[:full] = order[:full * batch_size].reshape(full, batch_size)
            count = full
        measured = (first + np.arange(rows)) % max(1, every) == 0
        chunk = (self._compiled.get((x.shape[0], *batches.shape))
                 or (self._xla if self.xla_ready and full else self._graph))
        losses, accs, grads, ran = chunk(x, y, tf.constant(batches, tf.int32), tf.constant(count, tf.int32),
                                         tf.constant(measured))
        ran = int(ran)
        return losses.numpy()[:ran], accs.numpy()[:ran], grads.numpy()[:ran]

    def compile_xla(self, x: tf.Tensor, y: tf.Tensor, batch_size: int, rows: int, tail: int = 0) -> None:
        """Compile the XLA graph for calls of `rows` batches, and for one batch of `tail` samples (the epoch's last
        when the training set is not a whole number of batches; 0: none), each with a call that trains none."""
        if not self.xla:
            return
        for shape in [(rows, batch_size)] + ([(1, tail)] if 0 < tail < batch_size else []):
            args = (x, y, tf.zeros(shape, tf.int32), tf.constant(0, tf.int32), tf.ones(shape[0], tf.bool))
            function = self._xla.get_concrete_function(*args)
            function(*args)  # XLA compiles on the first call
            self._compiled[(x.shape[0], *shape)] = function

    def _chunk_fn(self, x, y, batches, count, measured):
        rows = tf.shape(batches)[0]

        def more(i, finite, losses, accs, sizes):
            return tf.logical_and(tf.logical_and(i < count, finite), tf.logical_not(self.halt.read_value()))

        def step(i, finite, losses, accs, sizes):
            xb, yb = tf.gather(x, batches[i]), tf.gather(y, batches[i])
            if self.augmenter is not None:
                xb = self.augmenter(xb, training=True)
            with tf.GradientTape() as tape:
                pred = self.model(xb, training=True)
                loss = self.model.compute_loss(y=yb, y_pred=pred, training=True)
            grads = tape.gradient(loss, self.model.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.model.trainable_variables))
            loss = tf.cast(loss, tf.float32)
            n = len(self._kernels)
            size = tf.cond(measured[i], lambda: _sizes([grads[k] for k in self._kernels]),
                           lambda: tf.fill([n], float("nan"))) if n else tf.zeros([0])
            return (i + 1, tf.math.is_finite(loss), losses.write(i, loss), accs.write(i, _accuracy(yb, pred)),
                    sizes.write(i, size))

        empty = tf.TensorArray(tf.float32, size=rows)
        no_sizes = tf.TensorArray(tf.float32, size=rows, element_shape=[len(self._kernels)])
        ran, _, losses, accs, sizes = tf.while_loop(
            more, step, (tf.constant(0), tf.constant(True), empty, empty, no_sizes))
        return losses.stack(), accs.stack(), sizes.stack(), ran


def _sizes(grads: list) -> tf.Tensor:
    """Each gradient's mean absolute value, as one vector."""
    return tf.stack([tf.reduce_mean(tf.abs(tf.cast(g, tf.float32))) for g in grads])


def _accuracy(y, pred):
    return tf.reduce_mean(tf.cast(tf.equal(tf.argmax(pred, axis=1), y), tf.float32))


IDLE_KEPT = 6  # Steppers kept for reuse in one process
_idle: list[tuple[tuple, Stepper]] = []
_compiling: set[tuple] = set()
_seen: Counter = Counter()  # trainings per architecture in this process
_idle_lock = threading.Lock()


@contextmanager
def borrowed(spec: NetworkSpec, optimizer: str, l2: float, data: tuple | None = None,
             batch_size: int | None = None, augment: bool = False, gradients: bool = True,
             tail: int = 0) -> Iterator[Stepper]:
    """A Stepper of this architecture for one training: an idle one with XLA compiled if this process
    has one, else any idle one, else a new one. When an architecture trains a second time here (a
    class's shared network, not one student's passing try; the default network is compiled when the
    worker starts), a Stepper is also compiled with XLA in the background for the trainings after
    it, given the data, batch size and the epoch's last batch's size `tail` (the XLA graph reads and
    writes the model's variables, so it is compiled on a Stepper nobody is training). `gradients`:
    whether its steps measure the layers' gradient sizes (always, in the app; the benchmark measures
    what they cost)."""
    key = (spec, optimizer, l2, augment, gradients)
    with _idle_lock:
        if len(_seen) > 10_000:  # a bounded memory of what was seen
            _seen.clear()
        _seen[key] += 1
        mine = [i for i, (k, _) in enumerate(_idle) if k == key]
        best = next((i for i in mine if _idle[i][1].xla_ready), mine[0] if mine else None)
        stepper = _idle.pop(best)[1] if best is not None else None
        compile_one = (data is not None and batch_size is not None and _seen[key] >= 2
                       and (stepper is None or not stepper.xla_ready)
                       and key not in _compiling and not any(_idle[i][1].xla_ready for i in mine if i != best))
        if compile_one:
            _compiling.add(key)
    stepper = stepper or Stepper(*key)
    if compile_one and stepper.xla:
        threading.Thread(target=precompile, args=(*key[:3], data, batch_size, gradients, tail), daemon=True,
                         name="fcviz-xla-compile").start()
    elif compile_one:
        _compiling.discard(key)
    try:
        yield stepper
    finally:
        _give_back(key, stepper)


def _give_back(key: tuple, stepper: Stepper) -> None:
    with _idle_lock:
        _idle.append((key, stepper))
        del _idle[:-IDLE_KEPT]


def precompile(spec: NetworkSpec, optimizer: str, l2: float, data: tuple, batch_size: int,
               gradients: bool = True, tail: int = 0) -> None:
    """Make an idle Stepper of this architecture with its XLA graph compiled (a worker's warm-up): for full calls,
    and for an epoch's last batch of `tail` samples."""
    key = (spec, optimizer, l2, False, gradients)  # XLA is for networks trained without augmentation
    try:
        stepper = Stepper(*key)
        stepper.compile_xla(data[0], data[1], batch_size, stepper.rows_per_call(batch_size), tail)
        _give_back(key, stepper)
    finally:
        with _idle_lock:
            _compiling.discard(key)
