"""Rule-based simulation: a single-server queue written as three explicit rules.

The Methods lesson's second demo. No real data is fitted: the synthetic event table
comes from rules about how the process works (arrivals, service, first come first
served). Where queueing theory has a closed form — the Pollaczek–Khinchine mean wait
of an M/G/1 queue, which for exponential service is the M/M/1 result ρ / (μ − λ) —
the demo compares the simulated average with it.
"""

from __future__ import annotations

import numpy as np

from .._rng import SEED_MAX, as_generator
from ._result import choice, metric, number

SERVICES = {
    "exponential": "Exponential (M/M/1)",
    "constant": "Constant (M/D/1)",
    "uniform": "Uniform 0–2 min (M/G/1)",
}
# second moment E[S^2] of each service-time distribution (all have mean E[S] = 1 minute)
SERVICE_SECOND_MOMENT = {"exponential": 2.0, "constant": 1.0, "uniform": 4.0 / 3.0}
MEAN_SERVICE = 1.0  # minutes, so the service rate is mu = 1 per minute


def draw_service_times(service: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Service times in minutes, mean 1, from the named distribution."""
    if service == "exponential":
        return rng.exponential(MEAN_SERVICE, n)
    if service == "constant":
        return np.full(n, MEAN_SERVICE)
    return rng.uniform(0.0, 2.0 * MEAN_SERVICE, n)


def simulate_queue(arrival_rate: float, service: str, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Simulate ``n`` customers of a single-server first-come-first-served queue.

    Returns arrays ``arrival``, ``start``, ``wait``, ``service``, ``departure`` (minutes).
    """
    # Rule 1: customers arrive at random, on average `arrival_rate` per minute
    #         (exponential gaps between arrivals, i.e. a Poisson process).
    arrival = np.cumsum(rng.exponential(1.0 / arrival_rate, n))
    # Rule 2: each customer needs a random service time (mean 1 minute).
    service_time = draw_service_times(service, n, rng)
    # Rule 3: one server, first come first served: a customer starts when they
    #         have arrived AND the previous customer has left.
    start = np.empty(n)
    departure = np.empty(n)
    server_free_at = 0.0
    for k in range(n):
        start[k] = max(arrival[k], server_free_at)
        departure[k] = start[k] + service_time[k]
        server_free_at = departure[k]
    return {"arrival": arrival, "start": start, "wait": start - arrival,
            "service": service_time, "departure": departure}


def pollaczek_khinchine_wait(arrival_rate: float, service: str) -> float:
    """Steady-state mean wait in queue of an M/G/1 queue, λ·E[S²] / (2(1 − ρ)); ``inf`` if ρ ≥ 1."""
    rho = arrival_rate * MEAN_SERVICE
    if rho >= 1:
        return float("inf")
    return arrival_rate * SERVICE_SECOND_MOMENT[service] / (2.0 * (1.0 - rho))


def queue_lengths(arrival: np.ndarray, departure: np.ndarray) -> np.ndarray:
    """How many earlier customers are still in the system when each customer arrives."""
    # with one FIFO server departures are in order, so a sorted search counts those gone
    gone = np.searchsorted(departure, arrival, side="right")
    return np.arange(arrival.size) - gone


def run(arrival_rate: float = 0.8, service: str = "exponential", n: int = 5000, seed: int = 42,
        figure: bool = True) -> dict:
    """Simulate a queue from explicit rules and compare its mean wait with queueing theory."""
    arrival_rate = number("arrival_rate", arrival_rate, 0.05, 1.2)
    choice("service", service, SERVICES)
    n = number("n", n, 100, 20_000, integer=True)
    seed = number("seed", seed, 0, SEED_MAX, integer=True)
    rng = as_generator(seed)
    sim = simulate_queue(arrival_rate, service, n, rng)
    rho = arrival_rate * MEAN_SERVICE
    theory = pollaczek_khinchine_wait(arrival_rate, service)
    mean_wait = float(sim["wait"].mean())
    waited = float(np.mean(sim["wait"] > 0))
    longest = int(queue_lengths(sim["arrival"], sim["departure"]).max())
    busy = float(sim["service"].sum() / sim["departure"][-1])
    stable = rho < 1

    metrics = [
        metric("rho", "Utilisation ρ = λ·E[S]", rho, ".2f",
               "Arrival rate times mean service time: the long-run share of time one server must be busy."),
        metric("mean_wait", "Simulated mean wait (min)", mean_wait, ".2f",
               "Average time a simulated customer spent queueing before service started."),
        metric("theory_wait", "Pollaczek–Khinchine mean wait (min)", theory if stable else float("nan"), ".2f",
               "Steady-state mean wait of an M/G/1 queue, λ·E[S²] / (2(1 − ρ)); for exponential service "
               "this is the M/M/1 result ρ / (μ − λ). Undefined when ρ ≥ 1."),
        metric("waited", "Share who had to wait", waited, ".1%",
               "Share of simulated customers who found the server busy; in the steady state this equals ρ."),
        metric("busy", "Server busy share", busy, ".1%",
               "Total service time divided by the time the last customer left."),
        metric("longest_queue", "Longest queue met on arrival", longest, ".0f",
               "Most customers already in the system (queueing or being served) when someone arrived."),
    ]
    if stable:
        diff = (mean_wait - theory) / theory
        summary = (f"Over {n:,} simulated customers the mean wait was {mean_wait:.2f} min; the "
                   f"Pollaczek–Khinchine formula for this queue gives {theory:.2f} min "
                   f"({diff:+.0%} difference).")
        if abs(diff) > 0.10:
            summary += (" The run has not settled yet: near full utilisation the waits of neighbouring "
                        "customers are strongly linked, so an average needs many more customers.")
        else:
            summary += " Within 10 %, rules alone, with no real data fitted, reproduce what the theory predicts."
    else:
        summary = (f"Customers arrive at {arrival_rate:.2f} per minute but one server manages at most 1 per minute "
                   f"(ρ = {rho:.2f} ≥ 1): the queue grows without limit, the last customer waited "
                   f"{sim['wait'][-1]:.1f} min, and no steady-state formula applies.")

    rows = [[str(k + 1)] + [f"{sim[key][k]:.2f}" for key in ("arrival", "start", "wait", "service", "departure")]
            for k in range(min(8, n))]
    result = {
        "summary": summary,
        "metrics": metrics,
        "tables": [{"caption": f"The first {len(rows)} rows of the synthetic event table (times in minutes)",
                    "columns": ["Customer", "Arrives", "Service starts", "Waits", "Service takes", "Leaves"],
                    "rows": rows}],
        "notes": [f"Service times: {SERVICES[service]}, mean 1 minute. The queue starts empty, "
                  "which pulls the first customers' waits below the steady state."],
    }
    if figure:
        result["figures"] = [_figure(sim["wait"], theory if stable else None, service)]
    return result


def _figure(wait: np.ndarray, theory: float | None, service: str) -> dict:
    from ..plotting import REAL, SYNTHETIC, figure_svg, new_figure

    fig = new_figure(6.4, 3.0)
    ax = fig.add_subplot()
    k = np.arange(1, wait.size + 1)
    ax.plot(k, wait, color=SYNTHETIC, linewidth=0.6, alpha=0.7, label="wait of each customer")
    ax.plot(k, np.cumsum(wait) / k, color="black", linewidth=1.5, label="running mean")
    if theory is not None:
        ax.axhline(theory, color=REAL, linestyle="--", linewidth=1.5, label="Pollaczek–Khinchine mean")
    ax.set_xlabel("customer number")
    ax.set_ylabel("wait (minutes)")
    ax.legend(frameon=False, loc="upper left", fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    line = (f" with a dashed line at the theoretical mean of {theory:.2f} minutes" if theory is not None
            else "; there is no theoretical mean because the queue is unstable")
    alt = (f"Waiting time of each of {wait.size} simulated customers ({SERVICES[service]} service), "
           f"with their running mean{line}.")
    return {"alt": alt, "svg": figure_svg(fig)}
