"""Tolerances per dtype, with per-cell overrides that each carry their reason.

Both numbers always apply: an element passes when |got - expected| <= atol + rtol *
|expected|, with ``expected`` the float64 reference evaluated on the inputs already
rounded to the dtype under test, so only the framework's own arithmetic counts.
"""

import numpy as np

_EPS16 = 2.0**-10  # float16: 11 significant bits
_EPSBF16 = 2.0**-7  # bfloat16: 8 significant bits
_EPS32 = float(np.finfo(np.float32).eps)  # 2**-23
_EPS64 = float(np.finfo(np.float64).eps)  # 2**-52

DEFAULT_TOLERANCE = {  # dtype -> (rtol, atol)
    # 8 ULP of relative error: on the random cases the elementwise functions measured
    # at most 4 ULP (torch 2.13, TF 2.21, JAX 0.10, float32), and a per-sample sum or
    # mean of a few terms adds a few roundings. The atol (8 ULP at 1.0) covers results
    # near 0, such as small softmax probabilities (16 ULP there) or elu(x) for tiny
    # negative x computed as alpha * (exp(x) - 1).
    # NOTE: the atol hides large relative errors in results far below 1, which a
    # tolerance of 8 ULP with atol = the smallest normal number exposes: TF's elu and
    # selu near 0 (exp(x) - 1, 16 ULP at x = -0.03 in float32, 0 at x = -1e-30), every
    # framework's gelu for x < -3 (torch float32 is off by 2e-4 relative at x = -3),
    # and silu and mish where sigmoid(x) underflows (x = -89 in float32). The report's
    # ULP column shows them; no per-function ULP bound asserts them yet.
    "float16": (8 * _EPS16, 8 * _EPS16),
    "bfloat16": (8 * _EPSBF16, 8 * _EPSBF16),
    "float32": (8 * _EPS32, 8 * _EPS32),
    "float64": (8 * _EPS64, 8 * _EPS64),
}

TOLERANCE_OVERRIDES = {}  # (function, framework, dtype) -> ((rtol, atol), reason)


def tolerance(function, framework, dtype):
    """Return (rtol, atol, reason) for one cell."""
    override = TOLERANCE_OVERRIDES.get((function, framework, dtype))
    if override is not None:
        (rtol, atol), reason = override
        return rtol, atol, reason
    rtol, atol = DEFAULT_TOLERANCE[dtype]
    return rtol, atol, f"default for {dtype}: 8 ULP relative plus 8 ULP at 1.0 absolute"
