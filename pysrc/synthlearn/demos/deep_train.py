"""Deep generative models, trained live: a GAN, a VAE and a diffusion model on 2-D data.

Each function is a generator: it yields a frame (see ``synthlearn.deep.frames``) every
``every`` training steps, so the page can draw the model as it learns. Natively the frames
are an ordinary Python generator; in the browser the worker's ``stream`` call posts them one
by one (``synthlearn.app.streaming``). The last frame carries the verdict; with ``figure=True``
it also carries a matplotlib figure (used for the static, build-time result).
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from .._rng import SEED_MAX, as_generator
from ..deep import DDPM, GAN, LOSSES, TOY_DATASETS, VAE, make_toy, mmd, modes_covered
from ..deep.frames import GREEN, GREY, curves, plots_figure, scatter, series
from ..deep.metrics import high_quality_share
from ..plotting import REAL, SYNTHETIC
from ._result import choice, metric, number

N_TRAIN = 2000   # training rows drawn from the toy distribution
N_SHOW = 300     # points drawn per frame (real and generated)
N_GAN = 400      # the GAN's fixed latent points (drawn before training: part of the seeded run)
N_MMD = 150      # points per side in the per-frame MMD (its cost grows with the square)
LIM = (-3.2, 3.2)
LEARNING_RATES = {"0.0005": "0.0005 (slow)", "0.003": "0.003 (default)", "0.01": "0.01 (fast)",
                  "0.03": "0.03 (too fast)"}


def _common(dataset: str, steps: int, every: int, seed: int) -> tuple[int, int, np.random.Generator, np.ndarray]:
    choice("dataset", dataset, TOY_DATASETS)
    steps = number("steps", steps, 50, 5000, integer=True)
    every = number("every", every, 5, 500, integer=True)
    seed = number("seed", seed, 0, SEED_MAX, integer=True)
    rng = as_generator(seed)
    return steps, every, rng, make_toy(dataset, N_TRAIN, rng)


def _quality(dataset: str, fake: np.ndarray, real: np.ndarray) -> tuple[list[dict], int | None]:
    out = [metric("mmd", "MMD²", mmd(fake[:N_MMD], real[:N_MMD]), ".4f",
                  "Squared maximum mean discrepancy (Gaussian kernel, bandwidth 0.5) between "
                  f"{N_MMD} generated and {N_MMD} real points: 0 = same distribution.")]
    if dataset != "ring":
        return out, None
    covered = modes_covered(fake)
    out = [metric("modes", "Modes covered", covered, ".0f",
                  "Of the 8 ring modes, how many hold at least a quarter of their fair share (1/8) of the "
                  "generated points within 3 standard deviations of the centre."),
           metric("on_mode", "Points on a mode", high_quality_share(fake), ".0%",
                  "Share of generated points within 3 standard deviations of some mode.")] + out
    return out, covered


def _frame(step: int, total: int, summary: str, metrics: list[dict], plots: list[dict], phase: str = "train",
           done: bool = False) -> dict:
    return {"step": step, "total": total, "phase": phase, "done": done, "summary": summary,
            "metrics": [metric("step", "Training step", step, ".0f", "Steps of gradient descent done so far.")] + metrics,
            "plots": plots}


def gan(dataset: str = "ring", loss: str = "nonsaturating", latent_dim: int = 2, lr: str = "0.003",
        steps: int = 1200, every: int = 20, seed: int = 0, figure: bool = False) -> Iterator[dict]:
    """Train a GAN, yielding real vs generated points, both losses and the modes covered."""
    choice("loss", loss, LOSSES)
    choice("learning rate", lr, LEARNING_RATES)
    latent_dim = number("latent_dim", latent_dim, 1, 8, integer=True)
    steps, every, rng, X = _common(dataset, steps, every, seed)
    z_show = rng.normal(size=(N_GAN, latent_dim))  # the same latent points in every frame
    real = X[:N_GAN]
    model = GAN(latent_dim=latent_dim, hidden=48, loss=loss, steps=steps, batch_size=64, lr=float(lr))
    frame = None
    for step in model.fit_iter(X, rng, every=every):
        fake = model.generate(z_show)
        metrics, covered = _quality(dataset, fake, real)
        d, g = model.history_["d_loss"][-1], model.history_["g_loss"][-1]
        metrics += [metric("d_loss", "Discriminator loss", d, ".3f", "The discriminator's loss on the last batch."),
                    metric("g_loss", "Generator loss", g, ".3f", "The generator's loss on the last batch.")]
        done = step == steps
        plots = [scatter("Real vs generated", [series("real", REAL, real), series("generated", SYNTHETIC, fake)], LIM),
                 curves("Losses", model.history_, {"d_loss": REAL, "g_loss": SYNTHETIC},
                        {"d_loss": "discriminator", "g_loss": "generator"})]
        frame = _frame(step, steps, _gan_summary(step, steps, covered, metrics, done), metrics, plots, done=done)
        if done and figure:
            frame["figures"] = [plots_figure(plots, f"Left: {N_GAN} real points and {N_GAN} generated points of the "
                                             f"{TOY_DATASETS[dataset]} data after {steps} steps. Right: both losses.")]
        yield frame


def _gan_summary(step: int, steps: int, covered: int | None, metrics: list[dict], done: bool) -> str:
    mmd_text = next(m["text"] for m in metrics if m["key"] == "mmd")
    if covered is None:
        return f"Step {step} of {steps}: MMD² to the real sample {mmd_text}."
    head = f"Step {step} of {steps}: the generator covers {covered} of the 8 modes (MMD² {mmd_text})."
    if not done:
        return head
    if covered == 8:
        return head + " It found every mode: no mode collapse in this run."
    return head + (f" {8 - covered} mode(s) are missing: this is mode collapse, the generator has "
                   "learned to fool the discriminator with only part of the data.")


DECODER_STDS = {"0.05": "0.05 (sharp)", "0.1": "0.1", "0.3": "0.3", "1.0": "1.0 (very blurry)"}


def vae(dataset: str = "ring", decoder_std: str = "0.1", steps: int = 1500, every: int = 20, seed: int = 0,
        figure: bool = False) -> Iterator[dict]:
    """Train a VAE, yielding reconstructions, samples, the latent codes, and the loss split into its terms."""
    choice("decoder_std", decoder_std, DECODER_STDS)
    steps, every, rng, X = _common(dataset, steps, every, seed)
    real = X[:N_SHOW]
    z_show = rng.normal(size=(N_SHOW, 2))
    model = VAE(latent_dim=2, hidden=48, decoder_std=float(decoder_std), steps=steps, batch_size=64, lr=3e-3)
    for step in model.fit_iter(X, rng, every=every):
        recon, fake = model.reconstruct(real), model.decode(z_show)
        codes = model.encode(real)[0]
        metrics, covered = _quality(dataset, fake, real)
        h = model.history_
        metrics += [metric("reconstruction", "Reconstruction term", h["reconstruction"][-1], ".3f",
                           "Squared error between a row and its decoding, divided by 2 s² (last batch)."),
                    metric("kl", "KL term", h["kl"][-1], ".3f",
                           "KL divergence of the codes' Gaussians from N(0, I): the price of a smooth code space.")]
        plots = [scatter("Data, reconstructions, samples", [series("real", REAL, real),
                                                            series("reconstructed", GREEN, recon),
                                                            series("sampled", SYNTHETIC, fake)], LIM),
                 scatter("Latent space (codes of real rows)", [series("prior N(0, I)", GREY, z_show),
                                                               series("codes", REAL, codes)], (-3.5, 3.5), "z1", "z2"),
                 curves("Loss terms", h, {"reconstruction": REAL, "kl": SYNTHETIC},
                        {"reconstruction": "reconstruction", "kl": "KL"})]
        done = step == steps
        summary = f"Step {step} of {steps}: KL term {h['kl'][-1]:.2f}, reconstruction term {h['reconstruction'][-1]:.2f}."
        if covered is not None:
            summary += f" Samples cover {covered} of 8 modes."
        if done:
            summary += (" The samples are the decoder's average output for each code, so they smear across the gaps "
                        "between modes: the blur of a VAE.")
        frame = _frame(step, steps, summary, metrics, plots, done=done)
        if done and figure:
            frame["figures"] = [plots_figure(plots, "Left: real points, their reconstructions and decoded samples. "
                                             "Middle: the codes of real rows over draws from the prior. Right: loss terms.")]
        yield frame


SCHEDULES = {"20": "20 steps", "50": "50 steps", "100": "100 steps"}


def diffusion(dataset: str = "ring", T: str = "50", steps: int = 1500, every: int = 25, seed: int = 0,
              figure: bool = False) -> Iterator[dict]:
    """Train a DDPM, then yield the reverse process from noise to data step by step."""
    choice("T", T, SCHEDULES)
    steps, every, rng, X = _common(dataset, steps, every, seed)
    real = X[:N_SHOW]
    T_ = int(T)
    model = DDPM(T=T_, hidden=48, steps=steps, batch_size=128, lr=3e-3)
    loss_curve = {"loss": REAL}
    for step in model.fit_iter(X, rng, every=every):
        fake = model.sample(N_MMD, rng=np.random.default_rng(seed + step))  # a full reverse run per frame: keep it small
        metrics, covered = _quality(dataset, fake, real)
        metrics.append(metric("loss", "Noise-prediction loss", model.history_["loss"][-1], ".3f",
                              "Squared error of the predicted noise on the last batch."))
        plots = [scatter("Real vs generated", [series("real", REAL, real), series("generated", SYNTHETIC, fake)], LIM),
                 curves("Training loss", model.history_, loss_curve, {"loss": "noise prediction"})]
        yield _frame(step, steps, f"Training, step {step} of {steps}.", metrics, plots)
    yield from _reverse_frames(model, real, steps, dataset, rng, figure)


def _reverse_frames(model: DDPM, real: np.ndarray, steps: int, dataset: str, rng: np.random.Generator,
                    figure: bool) -> Iterator[dict]:
    stride = max(1, model.T // 10)
    for t, x in model.reverse(N_SHOW, rng, every=stride):
        metrics, covered = _quality(dataset, x, real)
        metrics.insert(0, metric("t", "Reverse step t", t, ".0f", f"Noise level: t = {model.T} is pure noise, 0 is data."))
        plots = [scatter(f"Reverse process, t = {t}", [series("real", REAL, real), series("x_t", SYNTHETIC, x)], LIM),
                 curves("Training loss", model.history_, {"loss": REAL}, {"loss": "noise prediction"})]
        done = t == 0
        summary = (f"Reverse process at t = {t} of {model.T}: each step removes the noise the network predicts."
                   + (f" At t = 0 the points cover {covered} of 8 modes." if done and covered is not None else ""))
        frame = _frame(steps, steps, summary, metrics, plots, phase="reverse", done=done)
        if done and figure:
            frame["figures"] = [plots_figure(plots, f"{N_SHOW} points at the end of the reverse process over the real "
                                             "data, and the training loss.")]
        yield frame
