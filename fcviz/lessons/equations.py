"""The lecture's equations written with a network's real shapes."""
from __future__ import annotations

from fcviz.net.forward import DenseWeights


def layer_names(n_layers: int) -> list[tuple[str, str]]:
    """(input, output) names per layer: X → h1 → h2 → … → out."""
    outs = [f"h{i}" for i in range(1, n_layers)] + ["out"]
    return list(zip(["X", *outs[:-1]], outs))


def layer_equation(i: int, layer: DenseWeights, batch: int, n_layers: int) -> str:
    """`h1 = relu(X (8, 784) @ W1 (784, 128) + b1 (128,)) → (8, 128)` for layer i (0-based)."""
    x_name, out_name = layer_names(n_layers)[i]
    n_in, n_out = layer.kernel.shape
    return (f"{out_name} = {layer.activation}({x_name} ({batch}, {n_in}) @ W{i + 1} ({n_in}, {n_out}) "
            f"+ b{i + 1} ({n_out},)) → ({batch}, {n_out})")
