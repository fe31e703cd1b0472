"""The grading toolkit: the runner's reports, the numpy-only tests' p-values against scipy's
exact ones, the false-fail rate of correct solutions and the power against typical wrong ones."""

from __future__ import annotations

import random

import numpy as np
import pytest
import scipy.special
import scipy.stats

from synthlearn.app import bridge as _bridge
from synthlearn.grading import check, run, stats
from synthlearn.grading import checks as g

N = 2000


# -- the runner ---------------------------------------------------------------------------------
def test_run_captures_stdout_and_the_last_value():
    report = run("x = 20\nprint('x is', x)\nx + 22")
    assert report["ok"] and report["stdout"] == "x is 20\n" and report["value"] == "42"
    assert run("y = 1")["value"] is None


def test_runs_are_independent_namespaces():
    assert run("secret = 1")["ok"]
    report = run("secret")
    assert report["error"]["message"] == "NameError: name 'secret' is not defined (line 1)"


def test_error_shows_only_the_learners_frames_with_their_line_numbers():
    report = run("import numpy as np\n\ndef f(v):\n    return np.asarray(v).reshape(3)\n\nf([1, 2])")
    err = report["error"]
    assert not report["ok"] and err["line"] == 4
    assert err["traceback"].splitlines()[:2] == ["line 6, in your code: f([1, 2])",
                                                 "line 4, in f: return np.asarray(v).reshape(3)"]
    assert "numpy" not in err["traceback"].replace("np.asarray", "") and "synthlearn" not in err["traceback"]


def test_syntax_error_names_the_line():
    err = run("a = 1\nb = (2\n")["error"]
    assert err["kind"] == "syntax" and err["line"] == 2 and err["message"].startswith("SyntaxError")


def test_exit_and_endless_output_are_contained():
    assert run("raise SystemExit(3)")["error"]["message"].startswith("SystemExit")
    out = run("for i in range(10**5):\n    print('spam')")["stdout"]
    assert 7000 < len(out) <= 8000


def test_check_reports_each_check_in_plain_words():
    checks = [{"name": "f(2) is 4", "code": "expect(f(2) == 4, f'f(2) returned {f(2)}, expected 4.')"},
              {"name": "f(0) is 0", "code": "assert f(0) == 0, 'f(0) should be 0.'"}]
    verdict = check("def f(x):\n    return x + 2", checks)
    assert not verdict["passed"]
    assert [(r["passed"], r["message"]) for r in verdict["results"]] == [
        (True, "Passed."), (False, "f(0) should be 0.")]
    missing = check("def g(x):\n    return x", checks)["results"][0]
    assert missing["message"] == "Not found: 'f' — define it with exactly this name."
    crash = check("def f(x):\n    return x / 0", checks)["results"][0]
    assert crash["line"] == 2 and crash["message"] == "Your code raised ZeroDivisionError: division by zero (line 2)"
    assert check("def f(x):\n    return x * 2", checks)["passed"]


def test_the_browser_calls_the_same_functions_through_the_bridge():
    import json
    reply = json.loads(_bridge.call("synthlearn.grading.check", json.dumps(
        {"code": "def f():\n    return 1", "checks": [{"name": "f() is 1", "code": "expect(f() == 1, 'no')"}]})))
    assert reply["ok"] and reply["value"]["passed"]


# -- the tests' p-values --------------------------------------------------------------------------
@pytest.mark.parametrize("shift", [0.1, 0.14, 0.18, 0.22])
def test_p_values_are_close_to_scipys_exact_ones_in_the_tail(shift):
    a = np.random.default_rng(1).normal(size=N)
    b = np.random.default_rng(2).normal(shift, size=N)
    d1, p1 = stats.ks_1samp(b, stats.normal_cdf())
    exact1 = scipy.stats.kstest(b, "norm", method="exact")
    assert d1 == pytest.approx(exact1.statistic, rel=1e-9) and p1 == pytest.approx(exact1.pvalue, rel=0.06)
    d2, p2 = stats.ks_2samp(a, b)
    exact2 = scipy.stats.ks_2samp(a, b, method="exact")
    assert d2 == pytest.approx(exact2.statistic, rel=1e-9) and p2 == pytest.approx(exact2.pvalue, rel=0.15)


@pytest.mark.parametrize("a,x", [(1.0, 30.0), (1.5, 5.0), (5.5, 20.0), (1000, 1200), (2000, 1990), (2000, 2300)])
def test_incomplete_gamma_matches_scipy(a, x):
    assert stats.gammaincc(a, x) == pytest.approx(scipy.special.gammaincc(a, x), rel=1e-9, abs=1e-15)


def test_p_values_of_correct_samples_are_uniform():
    """Calibration on 1,000 correct samples: the share with p < a stays within 3 sd of a."""
    rng = np.random.default_rng(123)
    p1 = np.array([stats.ks_1samp(rng.normal(size=N), stats.normal_cdf())[1] for _ in range(1000)])
    p2 = np.array([stats.ks_2samp(rng.normal(size=N), rng.normal(size=N))[1] for _ in range(1000)])
    probs = np.array([0.5, 0.3, 0.2])
    p3 = np.array([stats.chisquare(np.bincount(rng.choice(3, N, p=probs), minlength=3), probs * N)[1]
                   for _ in range(1000)])
    for p in (p1, p2, p3):
        for a in (0.01, 0.05, 0.2):
            assert np.mean(p < a) <= a + 3 * np.sqrt(a * (1 - a) / p.size)


# -- false fails and power --------------------------------------------------------------------------
def fresh_draws(fn, rep):
    """A learner function whose draws also depend on ``rep`` (new randomness on every repetition);
    one derived generator per generator the check passes in. Shared with benchmarks/grading_power.py."""
    derived: dict = {}

    def learner(rng):
        if id(rng) not in derived:
            derived[id(rng)] = (rng, np.random.default_rng([rep, int(rng.integers(2**31))]))
        return fn(derived[id(rng)][1])
    return learner


def fail_rate(check_fn, fn, reps, **kw) -> float:
    """Share of ``reps`` repetitions in which ``check_fn`` fails the learner function ``fn``."""
    fails = 0
    for rep in range(reps):
        try:
            check_fn(fresh_draws(fn, rep), **kw)
        except g.CheckFailed:
            fails += 1
    return fails / reps


FOLLOW = lambda d, **kw: g.samples_follow(d, g.normal_cdf(0, 1), n=N, mean=0, std=1, **kw)  # noqa: E731
MATCH = lambda d, **kw: g.samples_match(d, lambda r: r.normal(0, 1, N), n=N, **kw)  # noqa: E731
FREQ = lambda d, **kw: g.frequencies_match(d, {"a": 0.5, "b": 0.3, "c": 0.2}, n=N, **kw)  # noqa: E731
NOISE = lambda d, **kw: g.noise_scale(d, true_value=100, scale=2.0, **kw)  # noqa: E731
CORRECT = {FOLLOW: lambda r: r.normal(0, 1, N), MATCH: lambda r: r.normal(0, 1, N),
           FREQ: lambda r: r.choice(["a", "b", "c"], N, p=[0.5, 0.3, 0.2]), NOISE: lambda r: 100 + r.laplace(0, 2.0)}


@pytest.mark.parametrize("check_fn,reps", [(FOLLOW, 200), (MATCH, 200), (FREQ, 200), (NOISE, 60)],
                         ids=["samples_follow", "samples_match", "frequencies_match", "noise_scale"])
def test_correct_solutions_pass(check_fn, reps):
    assert fail_rate(check_fn, CORRECT[check_fn], reps) == 0.0


@pytest.mark.parametrize("check_fn,reps", [(FOLLOW, 200), (MATCH, 200), (FREQ, 200), (NOISE, 60)],
                         ids=["samples_follow", "samples_match", "frequencies_match", "noise_scale"])
def test_whole_check_is_calibrated_at_a_visible_alpha(check_fn, reps):
    """At alpha = 0.05 the whole check (3 seeds, Bonferroni) fails a correct answer at most ~5 % of
    the time, so at the default alpha = 1e-5 it fails one less than once in 100,000."""
    rate = fail_rate(check_fn, CORRECT[check_fn], reps, alpha=0.05)
    assert rate <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / reps)


@pytest.mark.parametrize("check_fn,wrong,power", [
    (FOLLOW, lambda r: r.normal(0, 2 ** 0.5, N), 0.95),          # variance used as sd
    (FOLLOW, lambda r: r.normal(0.2, 1, N), 0.95),               # mean off by 0.2 sd
    (FOLLOW, lambda r: r.uniform(-3 ** 0.5, 3 ** 0.5, N), 0.95),  # same mean and sd, wrong shape
    (MATCH, lambda r: r.normal(0.2, 1, N), 0.85),
    (FREQ, lambda r: r.choice(["a", "b", "c"], N), 0.95),
    (NOISE, lambda r: 100 + r.laplace(0, 0.5), 0.95),            # scale ε instead of 1/ε
    (NOISE, lambda r: 100 + r.normal(0, 2.0), 0.95),             # Gaussian instead of Laplace
])
def test_power_against_typical_wrong_answers(check_fn, wrong, power):
    reps = 20
    assert fail_rate(check_fn, wrong, reps) >= power


def test_wrong_answer_feedback_says_what_was_measured():
    with pytest.raises(g.CheckFailed) as info:
        FOLLOW(lambda r: r.normal(0.31, 1, N))
    message = str(info.value)
    assert "your samples' mean is 0.3" in message and "expected 0 ± 0.1" in message
    assert info.value.measured["mean"] == pytest.approx(0.31, abs=0.05)
    with pytest.raises(g.CheckFailed, match=r"returned the same answer \(100\) every time"):
        NOISE(lambda r: 100.0)
    with pytest.raises(g.CheckFailed, match="should hold 2000 values, but holds 10"):
        FOLLOW(lambda r: r.normal(size=10))
    with pytest.raises(g.CheckFailed, match="include d, which should never appear"):
        FREQ(lambda r: ["d"] * N)


def test_uses_rng_catches_global_state_and_fixed_seeds():
    assert g.uses_rng(lambda rng: rng.normal(size=3))["reproducible"]
    with pytest.raises(g.CheckFailed, match="The same seed gave different outputs"):
        g.uses_rng(lambda rng: np.random.normal(size=3))
    with pytest.raises(g.CheckFailed, match="The same seed gave different outputs"):
        g.uses_rng(lambda rng: random.random())
    with pytest.raises(g.CheckFailed, match="does not use the rng"):
        g.uses_rng(lambda rng: np.random.default_rng(42).normal(size=3))
    state = np.random.get_state()[1][:5].copy()
    g.uses_rng(lambda rng: rng.normal())
    assert np.array_equal(np.random.get_state()[1][:5], state)  # the global state is restored


def test_matches_reference_names_the_first_differing_case():
    cases = [(np.arange(3.0),), (np.arange(4.0),)]
    assert g.matches_reference(np.mean, np.mean, cases)["cases"] == 2
    with pytest.raises(g.CheckFailed, match=r"On test case 1 of 2 \(arguments: \[0\., 1\., 2\.\]\) your function "
                                            r"returned 1\.5; np gives 1 "):
        g.matches_reference(lambda v: np.mean(v) + 0.5, np.mean, cases, what="np")
    with pytest.raises(g.CheckFailed, match="returned None"):
        g.matches_reference(lambda v: None, np.mean, cases)
