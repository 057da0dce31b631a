"""fcviz: the network math, data and training behind the fcviz playground (no UI here).

The library is a few packages, one per layer, each importing only the layers before it in `LAYERS`
(a test reads every import to check it): `data` knows MNIST and its sources; `settings` every setting;
`net` a network in Keras and numpy; `train` the training engine; `files` what leaves as a file; `store`
the class store; `lessons` the lecture material; `plots` the figures. Beside them, modules every layer
may use: `i18n` (the reader's language), `patches` (every change to a private API), `cache` (a small
bounded cache) and `environment` (the server's environment variables).
"""
import os

LAYERS: tuple[str, ...] = ("data", "settings", "net", "train", "files", "store", "lessons", "plots")

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up chatter out of the app log
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
