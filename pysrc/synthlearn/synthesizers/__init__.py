"""Synthesizers: a registry of methods that a form, the CLI and the lessons can list.

``METHODS[key]`` holds the class, a title, a one-line description and the parameter specs
(name, type, default, min, max, choices, help) of each method;
:func:`make_synthesizer` builds one from a key and validated parameters. The specs come
from each class's ``param_specs``, so the registry and the classes cannot disagree.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from .base import ParamSpec, Synthesizer
from .bayesnet import BayesianNetworkSynthesizer
from .cart import SequentialCARTSynthesizer
from .copula import GaussianCopulaSynthesizer
from .hybrid import hybrid_release
from .independent import IndependentSynthesizer
from .kde import KDESynthesizer
from .mixture import GaussianMixtureSynthesizer
from .mst import MSTSynthesizer
from .partial import partially_synthesize
from .rebalance import RebalanceResult, oversample

_ENTRIES = [
    ("independent", IndependentSynthesizer,
     "Each column on its own: right marginals, no relationships (the baseline)."),
    ("gaussian_copula", GaussianCopulaSynthesizer,
     "Empirical marginals joined by the correlation of their normal scores."),
    ("kde", KDESynthesizer,
     "Real rows picked at random with Gaussian noise on the numbers (smoothed bootstrap)."),
    ("gaussian_mixture", GaussianMixtureSynthesizer,
     "Clusters of Gaussians for numbers, each with its own category frequencies (EM)."),
    ("bayesian_network", BayesianNetworkSynthesizer,
     "Chow–Liu tree of binned columns (maximum total mutual information): each column drawn given its parent."),
    ("cart", SequentialCARTSynthesizer,
     "Each column drawn from a decision tree on the columns before it; large leaves, numbers smoothed."),
    ("dp_mst", MSTSynthesizer,
     "Differentially private: noisy one- and two-way marginals on a privately chosen tree."),
]

#: method key -> {"class", "title", "description", "params": [spec dicts]}
METHODS: dict[str, dict] = {
    key: {"class": cls, "title": cls.title, "description": text,
          "params": [spec.to_dict() for spec in cls.param_specs]}
    for key, cls, text in _ENTRIES
}


def describe_methods() -> list[dict]:
    """The registry without the classes: JSON-able, for a form or ``--help``."""
    return [{"key": key, "title": m["title"], "description": m["description"], "params": m["params"]}
            for key, m in METHODS.items()]


def make_synthesizer(method: str, **params: Any) -> Synthesizer:
    """A synthesizer for ``method`` with ``params`` checked against its specs.

    Unknown methods or parameters and out-of-range values raise :class:`InputError`
    naming the valid choices.
    """
    if method not in METHODS:
        raise InputError(f"Unknown method '{method}' (valid: {', '.join(METHODS)}).")
    cls = METHODS[method]["class"]
    specs = {s.name: s for s in cls.param_specs}
    for name in params:
        if name not in specs:
            valid = ", ".join(specs) or "none"
            raise InputError(f"{cls.title} has no parameter '{name}' (valid: {valid}).")
    clean = {name: specs[name].validate(value, cls.title) for name, value in params.items()}
    return cls(**clean)


__all__ = [
    "METHODS", "BayesianNetworkSynthesizer", "GaussianCopulaSynthesizer", "GaussianMixtureSynthesizer",
    "IndependentSynthesizer", "KDESynthesizer", "MSTSynthesizer", "ParamSpec", "RebalanceResult", "SequentialCARTSynthesizer", "Synthesizer",
    "describe_methods", "hybrid_release", "make_synthesizer", "oversample", "partially_synthesize",
]
