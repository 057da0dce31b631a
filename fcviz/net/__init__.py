"""A network itself: built in Keras (`model`), read back (`reader`), run in plain numpy (`forward`, `neuron`),
kept along the way (`snapshots`) and tested on moved digits (`robustness`). Above `settings`."""
