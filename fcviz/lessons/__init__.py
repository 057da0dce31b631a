"""The lecture material and experiments built on the layers below: the notes' networks and experiment
series (`presets`), lazy build, the equations, the shapes lab and fine-tuning on my handwriting."""
