"""A denoising diffusion probabilistic model (Ho, Jain and Abbeel, 2020) with a short schedule.

Training adds Gaussian noise to a row in one jump, x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps,
and teaches a small MLP to predict eps from (x_t, t). Sampling starts from pure noise and
removes the predicted noise step by step, t = T-1, ..., 0 (Algorithm 2 of the paper, with
sigma_t^2 = beta_t).
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from .._rng import as_generator
from ._base import DeepModel, batch, check_float, check_int
from .mlp import MLP, Adam

N_FREQ = 4  # sinusoidal time embedding: sin and cos at 4 frequencies, plus t/T itself


def time_embedding(t: np.ndarray, T: int) -> np.ndarray:
    s = (np.asarray(t, dtype=float) / T)[:, None]
    freqs = np.pi * 2.0 ** np.arange(N_FREQ)
    return np.hstack([s, np.sin(s * freqs), np.cos(s * freqs)])


class DDPM(DeepModel):
    """Noise-prediction MLP on ``[x_t, embedding(t)]`` with a linear beta schedule."""

    def __init__(self, T: int = 50, hidden: int = 64, steps: int = 2000, batch_size: int = 128,
                 lr: float = 2e-3, beta_start: float = 1e-3, beta_end: float = 0.25):
        self.T, self.hidden, self.steps, self.batch_size = T, hidden, steps, batch_size
        self.lr, self.beta_start, self.beta_end = lr, beta_start, beta_end

    def _setup(self, X: np.ndarray, rng: np.random.Generator) -> None:
        check_int("T", self.T, 2, 1000)
        check_int("hidden", self.hidden, 2, 512)
        check_int("steps", self.steps, 1, 10**6)
        check_int("batch_size", self.batch_size, 2, 4096)
        check_float("lr", self.lr, 1e-6, 1.0)
        check_float("beta_end", self.beta_end, self.beta_start, 0.999)
        self.betas_ = np.linspace(self.beta_start, self.beta_end, self.T)
        self.alpha_bars_ = np.cumprod(1.0 - self.betas_)
        d = X.shape[1]
        self.net_ = MLP([d + 1 + 2 * N_FREQ, self.hidden, self.hidden, self.hidden, d], "leaky_relu", rng)
        self._opt = Adam([self.net_.theta], self.lr)

    def _step(self, X: np.ndarray, rng: np.random.Generator) -> dict:
        x0 = batch(X, self.batch_size, rng)
        t = rng.integers(0, self.T, len(x0))
        eps = rng.normal(size=x0.shape)
        ab = self.alpha_bars_[t][:, None]
        xt = np.sqrt(ab) * x0 + np.sqrt(1.0 - ab) * eps
        pred, cache = self.net_.forward(np.hstack([xt, time_embedding(t, self.T)]))
        loss = ((pred - eps) ** 2).sum(1).mean()
        grads, _ = self.net_.backward(cache, 2.0 * (pred - eps) / len(x0))
        self._opt.step([MLP.flatten(grads)])
        return {"loss": float(loss)}

    def predict_noise(self, xt: np.ndarray, t: int) -> np.ndarray:
        self._check_fitted()
        return self.net_(np.hstack([xt, time_embedding(np.full(len(xt), t), self.T)]))

    def reverse(self, n: int, rng: int | np.random.Generator | None = None, every: int = 1,
                dim: int = 2) -> Iterator[tuple[int, np.ndarray]]:
        """Yield ``(t, x_t)`` from pure noise (t = T) down to data (t = 0), every ``every`` steps."""
        self._check_fitted()
        rng = as_generator(rng)
        x = rng.normal(size=(check_int("n", n, 1, 10**6), dim))
        yield self.T, x
        for t in range(self.T - 1, -1, -1):
            beta, ab = self.betas_[t], self.alpha_bars_[t]
            x = (x - beta / np.sqrt(1.0 - ab) * self.predict_noise(x, t)) / np.sqrt(1.0 - beta)
            if t > 0:
                x = x + np.sqrt(beta) * rng.normal(size=x.shape)
            if t % every == 0:
                yield t, x

    def sample(self, n: int, rng: int | np.random.Generator | None = None) -> np.ndarray:
        """``n`` rows from the full reverse process."""
        dim = self.net_.sizes[-1] if hasattr(self, "net_") else 2
        for _, x in self.reverse(n, rng, every=self.T, dim=dim):
            pass
        return x
