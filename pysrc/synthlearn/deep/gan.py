"""A generative adversarial network on small tables (Goodfellow et al., 2014).

The generator maps Gaussian noise to rows; the discriminator scores rows as real or
generated. Three losses:

* ``minimax``: the original game; the generator minimises log(1 - D(G(z))), whose gradient
  vanishes when the discriminator wins (the "saturating" loss).
* ``nonsaturating``: the generator maximises log D(G(z)) instead (same fixed point, strong
  gradients early on) — the variant the same paper recommends in practice.
* ``wasserstein``: a critic without a sigmoid, kept Lipschitz by clipping its weights
  (Arjovsky, Chintala and Bottou, 2017).
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..errors import InputError
from ._base import DeepModel, batch, check_float, check_int
from .mlp import MLP, Adam, sigmoid, softplus

LOSSES = {"nonsaturating": "Non-saturating", "minimax": "Minimax (saturating)",
          "wasserstein": "Wasserstein, weight clipping"}


class GAN(DeepModel):
    """Generator and discriminator MLPs trained alternately with Adam."""

    def __init__(self, latent_dim: int = 2, hidden: int = 64, loss: str = "nonsaturating", steps: int = 1500,
                 batch_size: int = 128, lr: float = 1e-3, d_steps: int = 1, clip: float = 0.1):
        self.latent_dim, self.hidden, self.loss, self.steps = latent_dim, hidden, loss, steps
        self.batch_size, self.lr, self.d_steps, self.clip = batch_size, lr, d_steps, clip

    def _setup(self, X: np.ndarray, rng: np.random.Generator) -> None:
        if self.loss not in LOSSES:
            raise InputError(f"loss must be one of {', '.join(LOSSES)}, not {self.loss!r}.")
        check_int("latent_dim", self.latent_dim, 1, 64)
        check_int("hidden", self.hidden, 2, 512)
        check_int("steps", self.steps, 1, 10**6)
        check_int("batch_size", self.batch_size, 2, 4096)
        check_int("d_steps", self.d_steps, 1, 20)
        check_float("lr", self.lr, 1e-6, 1.0)
        h, d = self.hidden, X.shape[1]
        self.generator_ = MLP([self.latent_dim, h, h, d], "leaky_relu", rng)
        self.discriminator_ = MLP([d, h, h, 1], "leaky_relu", rng)
        beta1 = 0.5  # the usual GAN setting (Radford et al., 2016)
        self._opt_g = Adam([self.generator_.theta], self.lr, beta1=beta1)
        self._opt_d = Adam([self.discriminator_.theta], self.lr, beta1=beta1)

    def _d_grads(self, d: np.ndarray, real: bool) -> tuple[float, np.ndarray]:
        """Discriminator loss on one half of the batch and its gradient w.r.t. the scores."""
        n = len(d)
        if self.loss == "wasserstein":
            return (-d.mean(), np.full_like(d, -1.0 / n)) if real else (d.mean(), np.full_like(d, 1.0 / n))
        if real:  # -log sigmoid(d)
            return softplus(-d).mean(), (sigmoid(d) - 1.0) / n
        return softplus(d).mean(), sigmoid(d) / n  # -log(1 - sigmoid(d))

    def _g_grads(self, d: np.ndarray) -> tuple[float, np.ndarray]:
        n = len(d)
        if self.loss == "wasserstein":
            return -d.mean(), np.full_like(d, -1.0 / n)
        if self.loss == "minimax":  # minimise log(1 - sigmoid(d)) = -softplus(d)
            return -softplus(d).mean(), -sigmoid(d) / n
        return softplus(-d).mean(), (sigmoid(d) - 1.0) / n  # minimise -log sigmoid(d)

    def _step(self, X: np.ndarray, rng: np.random.Generator) -> dict:
        D, G = self.discriminator_, self.generator_
        for _ in range(self.d_steps):
            fake = G(rng.normal(size=(self.batch_size, self.latent_dim)))
            d_real, cache_r = D.forward(batch(X, self.batch_size, rng))
            d_fake, cache_f = D.forward(fake)
            loss_r, g_r = self._d_grads(d_real, True)
            loss_f, g_f = self._d_grads(d_fake, False)
            grads_r, _ = D.backward(cache_r, g_r)
            grads_f, _ = D.backward(cache_f, g_f)
            self._opt_d.step([D.flatten(grads_r) + D.flatten(grads_f)])
            if self.loss == "wasserstein":
                np.clip(D.theta, -self.clip, self.clip, out=D.theta)
        fake, cache_g = G.forward(rng.normal(size=(self.batch_size, self.latent_dim)))
        d_fake, cache_d = D.forward(fake)
        loss_g, g_d = self._g_grads(d_fake)
        _, g_x = D.backward(cache_d, g_d)
        grads_g, _ = G.backward(cache_g, g_x)
        self._opt_g.step([G.flatten(grads_g)])
        return {"d_loss": float(loss_r + loss_f), "g_loss": float(loss_g)}

    def generate(self, z: np.ndarray) -> np.ndarray:
        """The generator's rows for given latent points ``z``."""
        self._check_fitted()
        return self.generator_(np.asarray(z, dtype=float))

    def sample(self, n: int, rng: int | np.random.Generator | None = None) -> np.ndarray:
        """``n`` generated rows."""
        rng = as_generator(rng)
        return self.generate(rng.normal(size=(check_int("n", n, 1, 10**6), self.latent_dim)))
