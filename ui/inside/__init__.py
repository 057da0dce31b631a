"""What only the Inside page draws, top to bottom: the network whose numbers are shown and its input (`network`),
`X @ W + b` layer by layer with softmax (`layers`), the forward pass as numpy code and Keras' lazy build (`code`),
the tensor operations and the naive loops (`shapes_lab`), and the weights and activation functions (`weights`)."""
