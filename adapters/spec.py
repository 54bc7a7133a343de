"""The contract between the harness and one framework's adapter module."""

from dataclasses import dataclass
from typing import Callable

# The value in Op.defaults of a parameter that the caller must pass.
NO_DEFAULT = "no default"


@dataclass(frozen=True)
class Op:
    """One canonical function as a framework computes it.

    ``forward`` takes the framework's tensors in the canonical argument order (``x``
    for activations, ``y_pred, y_true`` for losses) and the parameters as keywords, and
    returns a tensor. ``api`` is the public entry point it calls, shown in the report.
    ``vjp(x, v, **params)``, when given, replaces the adapter module's autodiff.
    ``defaults`` maps each canonical parameter the entry point accepts to the
    framework's default value, or NO_DEFAULT where the framework has none. A case with
    any other parameter is "not provided" here. ``rejects(params)``, when given,
    returns why a combination of parameter values is not provided (torch has no
    sparse cross-entropy on probabilities, so it rejects from_logits=False), or None.

    A loss's ``forward(y_pred, y_true, **params)`` receives the labels as an int64
    tensor where the reference declares them integer, and weight parameters
    (``sample_weight``, ``class_weight``) as Python lists for the adapter to convert.
    """

    api: str
    forward: Callable
    vjp: Callable | None = None
    defaults: dict | None = None
    rejects: Callable | None = None


def activation(api, function, defaults=None, names=None, converters=None):
    """Build the Op for an activation called as ``function(x, **params)``.

    ``names`` renames canonical parameters to the framework's (``negative_slope`` to
    ``alpha``); ``converters`` turns canonical values into the framework's (GELU's
    ``approximate="tanh"`` into ``True``). Parameters left out of a call take the
    framework's own defaults, which is how the defaults table is checked.
    """
    names = names or {}
    converters = converters or {}

    def forward(x, **params):
        arguments = {
            names.get(key, key): converters.get(key, lambda value: value)(value)
            for key, value in params.items()
        }
        return function(x, **arguments)

    return Op(api, forward, defaults=dict(defaults or {}))
