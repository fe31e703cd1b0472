"""synthlearn: learn synthetic data by doing it.

Small, readable synthesizers and evaluation metrics on numpy and scipy that run the
same natively and inside the browser (Pyodide). Every random step takes an explicit
``rng`` (a seed or a ``numpy.random.Generator``); nothing touches global state.
"""

from .errors import InputError
from .table import Column, Table

__version__ = "0.1.0"
__all__ = ["Column", "InputError", "Table", "__version__"]
