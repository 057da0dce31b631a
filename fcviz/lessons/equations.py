"""The lecture's equations written with a network's real shapes."""
from __future__ import annotations

import numpy as np

from fcviz.net.forward import BatchNorm, DenseWeights, batch_norm


def layer_names(n_layers: int) -> list[tuple[str, str]]:
    """(input, output) names per layer: X → h1 → h2 → … → out."""
    outs = [f"h{i}" for i in range(1, n_layers)] + ["out"]
    return list(zip(["X", *outs[:-1]], outs))


def layer_equation(i: int, layer: DenseWeights, batch: int, n_layers: int) -> str:
    """`h1 = relu(X (8, 784) @ W1 (784, 128) + b1 (128,)) → (8, 128)` for layer i (0-based); with batch norm
    `relu(bn1(…))`, with a skip connection `… + h1` (the layer's input added, same shape)."""
    x_name, out_name = layer_names(n_layers)[i]
    n_in, n_out = layer.kernel.shape
    inner = f"{x_name} ({batch}, {n_in}) @ W{i + 1} ({n_in}, {n_out}) + b{i + 1} ({n_out},)"
    if layer.norm is not None:
        inner = f"bn{i + 1}({inner})"
    skip = f" + {x_name} ({batch}, {n_in})" if layer.skip else ""
    return f"{out_name} = {layer.activation}({inner}){skip} → ({batch}, {n_out})"


def batch_norm_lines(i: int, z: np.ndarray, norm: BatchNorm, unit: int = 0) -> tuple[str, str]:
    """Batch norm of layer i's unit `unit` on row 0 of the batch z = X @ W + b, with the real numbers: in training
    (the batch's own mean and variance) and at prediction time (the moving averages kept while training)."""
    z0, gamma, beta, eps = float(z[0, unit]), float(norm.gamma[unit]), float(norm.beta[unit]), norm.epsilon
    mu_b, var_b = float(z[:, unit].mean()), float(z[:, unit].var())
    mu, var = float(norm.mean[unit]), float(norm.variance[unit])

    def line(m: float, v: float) -> str:
        value = batch_norm(np.float64(z0), m, v, gamma, beta, eps)
        return (f"(z − μ) / √(σ² + ε) · γ + β = ({z0:.3f} − {m:.3f}) / √({v:.3f} + {eps:g}) · {gamma:.3f} "
                f"+ {beta:.3f} = {value:.3f}")
    return line(mu_b, var_b), line(mu, var)
