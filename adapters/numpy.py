"""The float64 reference run through the adapter path, as a framework named "numpy".

It checks the harness itself: compared with the reference it must be exact in float64,
and its float32 results are the reference rounded once. Gradients come from the
reference's analytic derivatives, since NumPy has no autodiff.
"""

import inspect

import numpy as np

from adapters.spec import Op
from reference import FUNCTIONS as REFERENCE_FUNCTIONS

NAME = "numpy"
DTYPES = ("float16", "bfloat16", "float32", "float64")


def version():
    return np.__version__


def device_unavailable_reason(device):
    return None if device == "cpu" else "the numpy reference runs on the CPU only"


def to_tensor(array, dtype, device):
    return np.asarray(array, dtype=dtype)


def to_numpy(tensor):
    return np.asarray(tensor)


def _rounded_to_input_dtype(reference_callable):
    def rounded(*tensors, **params):
        result = reference_callable(*tensors, **params)
        dtype = tensors[0].dtype
        if np.issubdtype(dtype, np.integer):
            return result  # integers promote to float64, as np.exp does
        # Overflow to inf is the correctly rounded result (selu(65504) in float16).
        with np.errstate(over="ignore"):
            return np.asarray(result, dtype=dtype)

    return rounded


def _signature_defaults(function):
    """Return the reference's keyword defaults, e.g. elu's alpha=1.0, without the
    inputs and without the keywords its variants fix (a loss's clip_epsilon), which
    describe frameworks rather than parameters."""
    fixed = {"clip_dtype"}  # passed by Variant.evaluate, never by a caller
    for variant in function.variants.values():
        fixed.update(getattr(variant.forward, "keywords", {}))
    parameters = inspect.signature(function.exact.forward).parameters.values()
    return {
        p.name: p.default
        for p in parameters
        if p.name not in function.inputs
        and p.name not in fixed
        and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
    }


def _op(name, function):
    exact = function.exact
    vjp = None if exact.vjp is None else _rounded_to_input_dtype(exact.vjp)
    return Op(
        api=f"reference.{function.family}s.{name}",
        forward=_rounded_to_input_dtype(exact.forward),
        vjp=vjp,
        defaults=_signature_defaults(function),
    )


FUNCTIONS = {
    name: _op(name, function) for name, function in REFERENCE_FUNCTIONS.items()
}
VARIANTS = {}
# The reference has no value for a label outside [0, k): it returns NaN for the sample.
OUT_OF_RANGE_LABELS = {
    "sparse_categorical_crossentropy": {"k": "nan", "-1": "nan"},
    "nll_loss": {"k": "nan", "-1": "nan"},
}


def vjp(forward, x, v, **params):
    raise NotImplementedError("numpy has no autodiff; every numpy Op carries its vjp")


def synchronize(tensor):
    return tensor
