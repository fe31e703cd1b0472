"""synthlearn.deep: hand-written gradients, reproducible fits, the GAN's measured mode coverage,
well-formed training frames, the worker's streaming protocol and the ```synthlab-train block."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from synthlearn import InputError
from synthlearn.app import streaming
from synthlearn.deep import DDPM, GAN, MLP, VAE, Adam, make_toy, mmd, mode_counts, modes_covered, ring_centers
from synthlearn.deep.mlp import ACTIVATIONS
from synthlearn.demos import deep_train

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))


# -- the MLP --------------------------------------------------------------------------------
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_mlp_gradients_match_finite_differences(activation):
    rng = np.random.default_rng(0)
    net = MLP([3, 5, 4, 2], activation, rng=1)
    x = rng.normal(size=(7, 3))
    target = rng.normal(size=(7, 2))

    def loss(inp=x):
        return 0.5 * ((net(inp) - target) ** 2).sum() / len(inp)

    out, cache = net.forward(x)
    grads, gx = net.backward(cache, (out - target) / len(x))
    h = 1e-6
    for p, g in zip(net.params, grads):
        numeric = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = loss()
            p[idx] = old - h
            down = loss()
            p[idx] = old
            numeric[idx] = (up - down) / (2 * h)
        np.testing.assert_allclose(g, numeric, rtol=1e-5, atol=1e-8)
    numeric_x = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        numeric_x[idx] = (loss(x + e) - loss(x - e)) / (2 * h)
    np.testing.assert_allclose(gx, numeric_x, rtol=1e-5, atol=1e-8)


def test_adam_fits_a_linear_map():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(256, 2))
    y = x @ np.array([[2.0], [-1.0]]) + 0.5
    net = MLP([2, 1], rng=0)
    opt = Adam([net.theta], lr=0.05)
    for _ in range(600):
        out, cache = net.forward(x)
        opt.step([net.flatten(net.backward(cache, 2 * (out - y) / len(x))[0])])
    np.testing.assert_allclose(net.params[0].ravel(), [2.0, -1.0], atol=1e-3)
    np.testing.assert_allclose(net.params[1], [0.5], atol=1e-3)


def test_mlp_rejects_bad_settings():
    with pytest.raises(InputError):
        MLP([2, 3], activation="sigmoid")
    with pytest.raises(InputError):
        MLP([2])


# -- models ---------------------------------------------------------------------------------
MODELS = [lambda: GAN(steps=60, hidden=16), lambda: GAN(steps=60, hidden=16, loss="minimax"),
          lambda: GAN(steps=60, hidden=16, loss="wasserstein"), lambda: VAE(steps=60, hidden=16),
          lambda: DDPM(steps=60, hidden=16, T=10)]


@pytest.mark.parametrize("make", MODELS)
def test_models_fit_and_sample_reproducibly(make):
    X = make_toy("moons", 300, rng=0)
    a = make().fit(X, rng=5).sample(50, rng=9)
    b = make().fit(X, rng=5).sample(50, rng=9)
    c = make().fit(X, rng=6).sample(50, rng=9)
    assert a.shape == (50, 2) and np.isfinite(a).all()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_models_validate_input():
    with pytest.raises(InputError):
        GAN(loss="hinge").fit(make_toy("ring", 100, 0))
    with pytest.raises(InputError):
        VAE().fit([[1.0, np.nan]] * 20)
    with pytest.raises(InputError):
        DDPM().sample(5)
    with pytest.raises(InputError):
        make_toy("swissroll", 10)


def test_vae_reports_a_nonnegative_kl_and_a_falling_loss():
    model = VAE(steps=400, hidden=32).fit(make_toy("ring", 1000, 0), rng=0)
    kl = np.array(model.history_["kl"])
    assert (kl >= 0).all()
    loss = np.array(model.history_["loss"])
    assert loss[-50:].mean() < loss[:50].mean()


def test_ddpm_reverse_goes_from_noise_to_data():
    X = make_toy("ring", 1000, 0)
    model = DDPM(T=20, steps=800, hidden=32).fit(X, rng=0)
    ts = [t for t, _ in model.reverse(300, rng=1)]
    assert ts == list(range(20, -1, -1))
    *_, (t, x) = model.reverse(300, rng=1)
    noise = np.random.default_rng(1).normal(size=(300, 2))
    assert mmd(x, X[:300]) < 0.5 * mmd(noise, X[:300])


def test_mode_metric_counts_what_it_says():
    centers = ring_centers()
    exact = np.repeat(centers, 10, axis=0)
    assert modes_covered(exact) == 8
    assert modes_covered(np.repeat(centers[:3], 10, axis=0)) == 3
    assert mode_counts(np.zeros((5, 2))).sum() == 0  # the middle of the ring is no mode
    assert mmd(exact, exact) == pytest.approx(0.0, abs=1e-12)


# -- the demos' frames ------------------------------------------------------------------------
def _check_frame(frame: dict) -> None:
    json.dumps(frame, allow_nan=False)
    assert {"step", "total", "phase", "done", "summary", "metrics", "plots"} <= set(frame)
    assert 0 < frame["step"] <= frame["total"] and frame["summary"]
    for m in frame["metrics"]:
        assert {"key", "label", "value", "text", "help"} <= set(m) and m["help"]
    for plot in frame["plots"]:
        assert plot["kind"] in ("scatter", "lines") and plot["title"] and plot["series"]
        for s in plot["series"]:
            assert s["label"] and s["color"].startswith("#")
            assert all(len(p) == 2 for p in s["points"])


@pytest.mark.parametrize("demo, params", [
    (deep_train.gan, {"steps": 100, "every": 25}),
    (deep_train.gan, {"steps": 100, "every": 50, "dataset": "penguins", "loss": "wasserstein"}),
    (deep_train.vae, {"steps": 100, "every": 25, "dataset": "spiral"}),
    (deep_train.diffusion, {"steps": 100, "every": 50, "T": "20"}),
])
def test_frames_are_well_formed(demo, params):
    frames = list(demo(**params, figure=True))
    for f in frames:
        _check_frame(f)
    train = [f["step"] for f in frames if f["phase"] == "train"]
    assert train == list(range(params["every"], params["steps"] + 1, params["every"]))
    assert frames[-1]["done"] and not any(f["done"] for f in frames[:-1])
    assert frames[-1]["figures"][0]["svg"].startswith("<svg")
    assert "figures" not in frames[0]
    if demo is deep_train.diffusion:
        ts = [m["value"] for f in frames if f["phase"] == "reverse" for m in f["metrics"] if m["key"] == "t"]
        assert ts[0] == 20 and ts[-1] == 0 and ts == sorted(ts, reverse=True)


def test_frames_are_reproducible_for_a_seed():
    a = list(deep_train.gan(steps=50, every=25, seed=3))
    b = list(deep_train.gan(steps=50, every=25, seed=3))
    assert a == b


def test_demos_reject_bad_settings():
    with pytest.raises(InputError):
        next(deep_train.gan(lr="1"))
    with pytest.raises(InputError):
        next(deep_train.vae(steps=10))
    with pytest.raises(InputError):
        next(deep_train.diffusion(T="7"))


def _last(gen) -> dict:
    frame = None
    for frame in gen:
        pass
    return frame


def _modes(frame: dict) -> int:
    return next(m["value"] for m in frame["metrics"] if m["key"] == "modes")


def test_gan_covers_all_8_modes_at_the_defaults():
    assert _modes(_last(deep_train.gan())) == 8


def test_gan_collapse_setting_is_measured():
    """The page's collapse setting (minimax loss, learning rate 0.03): fewer modes, and the summary says so."""
    frame = _last(deep_train.gan(loss="minimax", lr="0.03"))
    assert 0 <= _modes(frame) < 8
    assert "mode collapse" in frame["summary"]


# -- the worker's streaming protocol ------------------------------------------------------------
def test_streaming_protocol_matches_native_frames():
    params = {"steps": 50, "every": 10, "seed": 1}
    opened = json.loads(streaming.open("synthlearn.demos.deep_train.gan", json.dumps(params)))
    assert opened["ok"]
    token = opened["value"]
    frames = []
    while True:
        reply = json.loads(streaming.next_frame(token))
        assert reply["ok"]
        if reply["value"] is None:
            break
        frames.append(reply["value"])
    assert frames == json.loads(json.dumps(list(deep_train.gan(**params))))


def test_streaming_close_and_errors():
    token = json.loads(streaming.open("synthlearn.demos.deep_train.vae", json.dumps({"steps": 50, "every": 25})))["value"]
    assert json.loads(streaming.next_frame(token))["value"]["step"] == 25
    assert json.loads(streaming.close(token))["ok"]
    assert json.loads(streaming.next_frame(token))["value"] is None
    bad = json.loads(streaming.open("os.system", "{}"))
    assert not bad["ok"] and bad["error"]["kind"] == "input"
    plain = json.loads(streaming.open("synthlearn.deep.toy.make_toy", "{}"))
    assert plain["error"]["kind"] == "input" and "frames" in plain["error"]["message"]
    token = json.loads(streaming.open("synthlearn.demos.deep_train.gan", json.dumps({"dataset": "cube"})))["value"]
    err = json.loads(streaming.next_frame(token))
    assert err["error"]["kind"] == "input" and "cube" in err["error"]["message"]


# -- the ```synthlab-train block ------------------------------------------------------------------
TRAIN = """function: synthlearn.demos.deep_train.vae
title: A VAE
controls:
  - {name: steps, type: range, min: 50, max: 400, step: 50, default: 50}
"""


def test_train_block_renders_a_static_last_frame_and_buttons():
    import demoblocks

    out, found = demoblocks.replace_blocks(f"Text.\n\n```synthlab-train\n{TRAIN}```\n", lambda spec: None, where="x.md")
    assert found[0]["kind"] == "train" and found[0]["function"].endswith("deep_train.vae")
    for cls in ("sl-train__start", "sl-train__pause", "sl-train__resume", "sl-train__stop", "sl-figure",
                'data-state="static"', "<noscript>"):
        assert cls in out
    assert "Step 50 of 50" in out


@pytest.mark.parametrize("body, message", [
    ("function: synthlearn.deep.toy.make_toy\ntitle: x\n", "generator function"),
    (TRAIN + "stream: true\n", "unknown key"),
    (TRAIN.replace("name: steps", "name: epochs"), "not a parameter"),
])
def test_train_block_errors_are_clear(body, message):
    import demoblocks

    with pytest.raises(demoblocks.BlockError, match=message):
        demoblocks.replace_blocks(f"```synthlab-train\n{body}```\n", lambda spec: None, where="x.md")
