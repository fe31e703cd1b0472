"""A small multilayer perceptron with hand-written backpropagation, and the Adam optimiser.

Everything is plain numpy (float64), so the same code trains natively and in the browser.
The gradients are checked against finite differences in ``tests/unit/test_deep.py``.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..errors import InputError

ACTIVATIONS = ("relu", "leaky_relu", "tanh")
_SLOPE = 0.2  # leaky ReLU slope for negative inputs


def _act(name: str, z: np.ndarray) -> np.ndarray:
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "leaky_relu":
        return np.maximum(z, _SLOPE * z)
    return np.tanh(z)


def _act_grad(name: str, z: np.ndarray, h: np.ndarray) -> np.ndarray:
    """d act(z) / dz, given z and h = act(z)."""
    if name == "relu":
        return (z > 0).astype(z.dtype)
    if name == "leaky_relu":
        return _SLOPE + (1.0 - _SLOPE) * (z > 0)
    return 1.0 - h * h


class MLP:
    """Fully connected layers ``sizes[0] -> ... -> sizes[-1]``; linear output layer.

    ``params`` is a list ``[W0, b0, W1, b1, ...]`` of views into one flat vector ``theta``
    (so an optimiser updates everything in a few array operations); ``forward`` returns the
    output and a cache, ``backward(cache, d_out)`` returns the gradients (same order as
    ``params``) and the gradient with respect to the input; ``flatten`` turns gradients into
    one vector shaped like ``theta``.
    """

    def __init__(self, sizes: list[int], activation: str = "leaky_relu",
                 rng: int | np.random.Generator | None = None):
        if activation not in ACTIVATIONS:
            raise InputError(f"activation must be one of {', '.join(ACTIVATIONS)}, not {activation!r}.")
        if len(sizes) < 2 or any(int(s) < 1 for s in sizes):
            raise InputError("An MLP needs at least an input and an output size, all positive.")
        rng = as_generator(rng)
        self.sizes = [int(s) for s in sizes]
        self.activation = activation
        gain = 1.0 if activation == "tanh" else 2.0  # Glorot-like for tanh, He for ReLUs
        shapes = [s for a, b in zip(self.sizes[:-1], self.sizes[1:]) for s in ((a, b), (b,))]
        self.theta = np.zeros(sum(int(np.prod(s)) for s in shapes))
        self.params: list[np.ndarray] = []
        start = 0
        for shape in shapes:
            size = int(np.prod(shape))
            view = self.theta[start:start + size].reshape(shape)
            if len(shape) == 2:
                view[...] = rng.normal(0.0, np.sqrt(gain / shape[0]), shape)
            self.params.append(view)
            start += size

    @staticmethod
    def flatten(grads: list[np.ndarray]) -> np.ndarray:
        """Gradients from ``backward`` as one vector, in the layout of ``theta``."""
        return np.concatenate([g.ravel() for g in grads])

    @property
    def n_layers(self) -> int:
        return len(self.params) // 2

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, list]:
        """Output for a batch ``x`` (rows) and the cache ``backward`` needs."""
        inputs, pre = [x], []
        h = x
        for i in range(self.n_layers):
            z = h @ self.params[2 * i] + self.params[2 * i + 1]
            pre.append(z)
            if i < self.n_layers - 1:
                h = _act(self.activation, z)
                inputs.append(h)
            else:
                h = z
        return h, [inputs, pre]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)[0]

    def backward(self, cache: list, d_out: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """Gradients of a scalar loss given ``d_out`` = dLoss/dOutput (already averaged)."""
        inputs, pre = cache
        grads: list[np.ndarray] = [None] * len(self.params)  # type: ignore[list-item]
        g = d_out
        for i in reversed(range(self.n_layers)):
            grads[2 * i] = inputs[i].T @ g
            grads[2 * i + 1] = g.sum(axis=0)
            g = g @ self.params[2 * i].T
            if i > 0:
                g = g * _act_grad(self.activation, pre[i - 1], inputs[i])
        return grads, g


class Adam:
    """Adam (Kingma and Ba, 2015) for a list of arrays (e.g. ``[mlp.theta]``), updated in place."""

    def __init__(self, params: list[np.ndarray], lr: float = 1e-3, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8):
        self.params, self.lr, self.beta1, self.beta2, self.eps = params, lr, beta1, beta2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads: list[np.ndarray]) -> None:
        self.t += 1
        c1 = 1.0 - self.beta1 ** self.t
        c2 = 1.0 - self.beta2 ** self.t
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            p -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


def softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))
