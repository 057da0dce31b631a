"""fcviz: the network math, data and training behind the fcviz playground (no UI here)."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up chatter out of the app log
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
