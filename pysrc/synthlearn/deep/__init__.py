"""Small deep generative models in numpy: an MLP with backpropagation and Adam, a GAN, a VAE
and a DDPM, plus 2-D toy data and per-frame metrics. Meant for teaching (seconds to train in
a browser), not for production tables."""

from .ddpm import DDPM
from .gan import GAN, LOSSES
from .metrics import high_quality_share, mmd, mode_counts, modes_covered
from .mlp import MLP, Adam
from .toy import TOY_DATASETS, make_toy, ring_centers
from .vae import VAE

__all__ = ["DDPM", "GAN", "LOSSES", "MLP", "Adam", "TOY_DATASETS", "VAE", "high_quality_share", "make_toy",
           "mmd", "mode_counts", "modes_covered", "ring_centers"]
