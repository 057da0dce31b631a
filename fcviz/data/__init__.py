"""The data every page teaches on: the task's shape (28×28 images, 10 classes), the data sources and their
loaders (the bundled MNIST sample, full MNIST, Fashion-MNIST, the data folder, uploads) and a drawing made
MNIST-like. The lowest layer: it imports nothing else of fcviz but `i18n`."""
