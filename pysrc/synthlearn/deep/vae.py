"""A variational autoencoder (Kingma and Welling, 2014) for small numeric tables.

The encoder maps a row to the mean and log-variance of a Gaussian code; the
reparameterisation z = mu + sigma * eps lets gradients flow through the sampling; the
decoder maps a code back to a row. The loss per row is the reconstruction error
||x - decoder(z)||^2 / (2 s^2) (a Gaussian decoder with fixed standard deviation ``s``,
``decoder_std``) plus the KL divergence of the code's Gaussian from N(0, I).
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ._base import DeepModel, batch, check_float, check_int
from .mlp import MLP, Adam


class VAE(DeepModel):
    """Encoder and decoder MLPs; ``sample`` decodes codes drawn from N(0, I)."""

    def __init__(self, latent_dim: int = 2, hidden: int = 64, decoder_std: float = 0.1, steps: int = 1500,
                 batch_size: int = 128, lr: float = 2e-3):
        self.latent_dim, self.hidden, self.decoder_std, self.steps = latent_dim, hidden, decoder_std, steps
        self.batch_size, self.lr = batch_size, lr

    def _setup(self, X: np.ndarray, rng: np.random.Generator) -> None:
        check_int("latent_dim", self.latent_dim, 1, 64)
        check_int("hidden", self.hidden, 2, 512)
        check_int("steps", self.steps, 1, 10**6)
        check_int("batch_size", self.batch_size, 2, 4096)
        check_float("decoder_std", self.decoder_std, 1e-3, 10.0)
        check_float("lr", self.lr, 1e-6, 1.0)
        h, d, k = self.hidden, X.shape[1], self.latent_dim
        self.encoder_ = MLP([d, h, h, 2 * k], "leaky_relu", rng)
        self.decoder_ = MLP([k, h, h, d], "leaky_relu", rng)
        self._opt = Adam([self.encoder_.theta, self.decoder_.theta], self.lr)

    def _step(self, X: np.ndarray, rng: np.random.Generator) -> dict:
        x = batch(X, self.batch_size, rng)
        n, k = len(x), self.latent_dim
        out, cache_e = self.encoder_.forward(x)
        mu, logvar = out[:, :k], np.clip(out[:, k:], -10.0, 10.0)
        std = np.exp(0.5 * logvar)
        eps = rng.normal(size=mu.shape)
        z = mu + std * eps
        recon, cache_d = self.decoder_.forward(z)
        s2 = self.decoder_std ** 2
        rec_loss = ((x - recon) ** 2).sum(1).mean() / (2 * s2)
        kl = 0.5 * (mu ** 2 + np.exp(logvar) - 1.0 - logvar).sum(1).mean()
        grads_d, g_z = self.decoder_.backward(cache_d, (recon - x) / (s2 * n))
        g_mu = g_z + mu / n
        g_logvar = g_z * eps * 0.5 * std + 0.5 * (np.exp(logvar) - 1.0) / n
        grads_e, _ = self.encoder_.backward(cache_e, np.hstack([g_mu, g_logvar]))
        self._opt.step([MLP.flatten(grads_e), MLP.flatten(grads_d)])
        return {"loss": float(rec_loss + kl), "reconstruction": float(rec_loss), "kl": float(kl)}

    def encode(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation of each row's code."""
        self._check_fitted()
        out = self.encoder_(np.asarray(X, dtype=float))
        k = self.latent_dim
        return out[:, :k], np.exp(0.5 * np.clip(out[:, k:], -10.0, 10.0))

    def decode(self, z) -> np.ndarray:
        self._check_fitted()
        return self.decoder_(np.asarray(z, dtype=float))

    def reconstruct(self, X) -> np.ndarray:
        """Decode each row's mean code: the model's "average" version of the row."""
        return self.decode(self.encode(X)[0])

    def sample(self, n: int, rng: int | np.random.Generator | None = None, noise: bool = False) -> np.ndarray:
        """Decode ``n`` codes from N(0, I); with ``noise`` add the decoder's Gaussian noise."""
        rng = as_generator(rng)
        n = check_int("n", n, 1, 10**6)
        out = self.decode(rng.normal(size=(n, self.latent_dim)))
        return out + rng.normal(0.0, self.decoder_std, out.shape) if noise else out
