"""The contract between the harness and one framework's adapter module."""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Op:
    """One canonical function as a framework computes it.

    ``forward`` takes the framework's tensors in the canonical argument order (``x``
    for activations, ``y_pred, y_true`` for losses) and the parameters as keywords, and
    returns a tensor. ``api`` is the public entry point it calls, shown in the report.
    ``vjp(x, v, **params)``, when given, replaces the adapter module's autodiff.
    """

    api: str
    forward: Callable
    vjp: Callable | None = None
