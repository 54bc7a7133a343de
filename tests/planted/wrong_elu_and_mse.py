"""A fake framework "planted": the numpy reference with two bugs planted in it.

ELU uses alpha + 1e-3 instead of alpha, and the half-sum squared error omits the
factor 1/2. Every other function is the reference, so only those two cells may fail.
"""

from adapters import numpy as reference_adapter
from adapters.spec import Op

NAME = "planted"
DTYPES = reference_adapter.DTYPES
version = reference_adapter.version
device_unavailable_reason = reference_adapter.device_unavailable_reason
to_tensor = reference_adapter.to_tensor
to_numpy = reference_adapter.to_numpy
vjp = reference_adapter.vjp
synchronize = reference_adapter.synchronize

_elu = reference_adapter.FUNCTIONS["elu"]
_mse_half_sum = reference_adapter.FUNCTIONS["mse_half_sum"]

FUNCTIONS = {
    **reference_adapter.FUNCTIONS,
    "elu": Op(
        api="planted: elu with alpha + 1e-3",
        forward=lambda x, alpha: _elu.forward(x, alpha=alpha + 1e-3),
        vjp=lambda x, v, alpha: _elu.vjp(x, v, alpha=alpha + 1e-3),
    ),
    "mse_half_sum": Op(
        api="planted: mse_half_sum without the half",
        forward=lambda y_pred, y_true, reduction: (
            2 * _mse_half_sum.forward(y_pred, y_true, reduction=reduction)
        ),
    ),
}
VARIANTS = {}
