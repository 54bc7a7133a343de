"""Tolerances per function, kind and dtype, each with the reason for its size.

Both numbers always apply: an element passes when |got - expected| <= atol + rtol *
|expected|, with ``expected`` the float64 reference evaluated on the inputs already
rounded to the dtype under test, so only the framework's own arithmetic counts.

A tolerance is written in ULP of the dtype: ``rtol_ulp`` units of the dtype's epsilon
relative, and ``atol_ulp`` units of epsilon absolute (ULP at 1.0), or, where
``atol_ulp`` is None, the dtype's smallest normal number, which lets a subnormal
result be flushed to zero (XLA and oneDNN flush them on the CPU) and nothing more.
"""

from dataclasses import dataclass

# The machine epsilon and the smallest normal number of each dtype.
_EPSILON = {
    "float16": 2.0**-10,  # 11 significant bits
    "bfloat16": 2.0**-7,  # 8 significant bits
    "float32": 2.0**-23,
    "float64": 2.0**-52,
}
_SMALLEST_NORMAL = {
    "float16": 2.0**-14,
    "bfloat16": 2.0**-126,
    "float32": 2.0**-126,
    "float64": 2.0**-1022,
}


@dataclass(frozen=True)
class Tolerance:
    rtol_ulp: float
    atol_ulp: float | None  # None: the smallest normal number
    reason: str

    def resolve(self, dtype):
        """Return (rtol, atol) in the units of ``dtype``."""
        eps = _EPSILON[dtype]
        atol = _SMALLEST_NORMAL[dtype] if self.atol_ulp is None else self.atol_ulp * eps
        return self.rtol_ulp * eps, atol

    def describe(self):
        absolute = (
            "the smallest normal number"
            if self.atol_ulp is None
            else f"{self.atol_ulp:g} ULP at 1.0"
        )
        return f"{self.rtol_ulp:g} ULP relative plus {absolute} absolute: {self.reason}"


# 8 ULP relative: on the random cases the transcendental activations measured at most
# 4 ULP (torch 2.13, TF 2.21, JAX 0.10, float32), and a sum or mean of a few terms adds
# a few roundings. 8 ULP at 1.0 absolute covers results near 0 whose error is set by
# an intermediate of size 1, such as 1 - y * y.
# NOTE: that absolute part hides large relative errors in results far below 1: TF's elu
# and selu near 0 (exp(x) - 1), every framework's gelu for x < -3, silu and mish where
# sigmoid(x) underflows. The accuracy sweep (tests/test_accuracy.py) bounds activation
# values in pure ULP and records those as defects. Gradients and losses have no such
# sweep yet.
def _smooth(reason):
    return Tolerance(8, 8, reason)


_EXACT = Tolerance(0, None, "a comparison and a selection, exact in every dtype")
_ONE_PRODUCT = Tolerance(
    2,
    None,
    "one product with a constant that may itself be rounded to the dtype "
    "(jax and Keras round the slope): at most 1 ULP",
)

VALUE_TOLERANCES = {
    "relu": _EXACT,
    "relu6": _EXACT,
    "hard_tanh": _EXACT,
    "leaky_relu": _ONE_PRODUCT,
    "prelu": _ONE_PRODUCT,
    "hard_sigmoid": Tolerance(
        4,
        4,
        "x / 6 + 1/2 or (x + 3) / 6, three roundings; near x = -3 the sum cancels "
        "and its error is absolute, about 1 ULP of 1/2",
    ),
    "hard_swish": Tolerance(
        4,
        4,
        "x * relu6(x + 3) / 6, three roundings; x + 3 cancels near x = -3, an "
        "absolute error of about 1 ULP of 3 scaled by |x| / 6",
    ),
    "softsign": Tolerance(
        4, None, "x / (1 + |x|), two roundings with no cancellation: at most 1.5 ULP"
    ),
    "elu": _smooth("alpha * expm1(x): expm1 is within a few ULP in every library"),
    "selu": _smooth("scale * alpha * expm1(x), one more product than elu"),
    "celu": _smooth("alpha * expm1(x / alpha), one more quotient than elu"),
    "gelu": _smooth(
        "x * Phi(x) through erf or tanh, within a few ULP where 1 + erf does not "
        "cancel (x > -3; the tail is measured by the accuracy sweep)"
    ),
    "sigmoid": _smooth("1 / (1 + exp(-x)): exp and a quotient, a few ULP"),
    "log_sigmoid": _smooth(
        "-softplus(-x): log1p(exp(-|x|)) plus min(x, 0), a few ULP; the sum can "
        "cancel near x = 0 only to an absolute error of 1 ULP of log 2"
    ),
    "tanh": _smooth("a library tanh, within a few ULP"),
    "softplus": _smooth(
        "log1p(exp(beta * x)) / beta, or x past the threshold: a few ULP"
    ),
    "silu": _smooth("x * sigmoid(x): the sigmoid's error plus one product"),
    "mish": _smooth("x * tanh(softplus(x)): three library functions in a row"),
    "glu": _smooth("a * sigmoid(b): the sigmoid's error plus one product"),
    "softmax": _smooth(
        "exp(x - max) / sum over the row: n + 2 roundings for a row of n; a small "
        "probability's error is absolute, set by the sum"
    ),
    "log_softmax": _smooth(
        "x - max - log(sum over the row): the subtraction leaves an absolute error "
        "of about 1 ULP of the log-sum, relative where the result is near 0"
    ),
}

GRADIENT_TOLERANCES = {
    "relu": Tolerance(0, None, "the cotangent passed through or zeroed: exact"),
    "relu6": Tolerance(0, None, "the cotangent passed through or zeroed: exact"),
    "hard_tanh": Tolerance(0, None, "the cotangent passed through or zeroed: exact"),
    "leaky_relu": _ONE_PRODUCT,
    "prelu": _ONE_PRODUCT,
    "hard_sigmoid": Tolerance(
        2, None, "the cotangent divided by 6 or times a rounded 1/6: at most 1 ULP"
    ),
    "hard_swish": _smooth(
        "(2x + 3) / 6 times the cotangent: 2x + 3 cancels near x = -1.5 to an "
        "absolute error of about 1 ULP of 3"
    ),
    "softsign": Tolerance(
        16,
        None,
        "1 / (1 + |x|)^2 times the cotangent: a square, a quotient and a product; "
        "measured at most 12 ULP in float64 (torch 2.13)",
    ),
    "tanh": _smooth(
        "1 - y * y from the rounded output y: the error is about 1 ULP of 1.0, "
        "absolute, so the relative error grows where the derivative is small"
    ),
    "sigmoid": _smooth(
        "y * (1 - y) from the rounded output y: 1 - y has an absolute error of "
        "1 ULP of 1.0 where y is near 1"
    ),
    "elu": _smooth("exp(x) or y + alpha from the rounded output: a few ULP"),
    "selu": _smooth("scale * alpha * exp(x) or from the output: a few ULP"),
    "celu": _smooth("exp(x / alpha) or from the output: a few ULP"),
    "gelu": _smooth(
        "Phi(x) + x * phi(x): the sum cancels near x = -0.75 where the derivative "
        "is 0, so its error there is absolute"
    ),
    "log_sigmoid": _smooth("1 - sigmoid(x): absolute error of 1 ULP of 1.0"),
    "softplus": _smooth("sigmoid(beta * x): a few ULP"),
    "silu": _smooth(
        "sigmoid(x) * (1 + x * (1 - sigmoid(x))): cancels near x = -1.28 where "
        "the derivative is 0"
    ),
    "mish": _smooth(
        "tanh(sp) + x * sigmoid(x) * (1 - tanh(sp)^2): cancels near x = -1.19 "
        "where the derivative is 0"
    ),
    "glu": _smooth("the sigmoid and its derivative times the cotangent halves"),
    "softmax": _smooth(
        "y * (g - sum(g * y)): the row sum cancels, so the error is absolute"
    ),
    "log_softmax": _smooth(
        "g - softmax(x) * sum(g): the difference cancels, so the error is absolute"
    ),
}

# Losses. A sum of terms that are all >= 0 (a mean of squares, -log p) has only a
# relative error, a few ULP for a few roundings per term; a difference of terms of
# size O(1) or O(|z|) has an absolute one, which the 8 ULP at 1.0 covers.
_NONNEGATIVE_SUM = Tolerance(
    8,
    None,
    "a mean or sum of non-negative terms, each a few roundings: no cancellation, so "
    "no absolute part",
)
_LOGITS = _smooth(
    "a difference of terms of the size of the logits (log-sum-exp minus the label's "
    "logit, max(z, 0) - z t): its error is absolute"
)
_PROBABILITIES = _smooth(
    "-log q over the guarded probabilities: where q is near 1 (a confident, right "
    "prediction), a rounding of q, such as Keras' row normalization, is an absolute "
    "error of about 1 ULP of 1.0 in -log q"
)


def _by_input(probabilities, logits):
    """Return the tolerance of a loss that takes probabilities or, with
    from_logits=True, logits; without params, the wider one."""

    def pick(params):
        if params is None or params.get("from_logits", False):
            return logits
        return probabilities

    return pick


LOSS_VALUE_TOLERANCES = {
    "mse_half_sum": _NONNEGATIVE_SUM,
    "mse_mean": _NONNEGATIVE_SUM,
    "mean_absolute_error": _NONNEGATIVE_SUM,
    "huber": _NONNEGATIVE_SUM,
    "smooth_l1": _NONNEGATIVE_SUM,
    "cross_entropy_delta": _NONNEGATIVE_SUM,
    "nll_loss": _NONNEGATIVE_SUM,
    "log_cosh": _smooth(
        "|d| + log1p(exp(-2|d|)) - log 2 (Keras: d + softplus(-2d) - log 2) cancels "
        "near d = 0 to an absolute error of 1 ULP of log 2"
    ),
    "poisson": _smooth("y - t log y: the two terms cancel where y is near t"),
    "hinge": _smooth("max(0, 1 - t y): 1 - t y cancels near the margin"),
    "squared_hinge": _smooth("max(0, 1 - t y)^2: 1 - t y cancels near the margin"),
    "binary_crossentropy": _by_input(_PROBABILITIES, _LOGITS),
    "categorical_crossentropy": _by_input(_PROBABILITIES, _LOGITS),
    "sparse_categorical_crossentropy": _by_input(_PROBABILITIES, _LOGITS),
    "sigmoid_cross_entropy_with_logits": _LOGITS,
    "weighted_sigmoid_cross_entropy": _LOGITS,
    "softmax_cross_entropy_with_logits": _LOGITS,
    "two_output_loss": _LOGITS,
    "kl_divergence": _smooth("sum p (log p - log q): terms of either sign cancel"),
    "kl_divergence_log_input": _smooth(
        "sum p (log p - log q): terms of either sign cancel"
    ),
    "cosine_similarity": _smooth(
        "a dot product of unit vectors: terms of either sign cancel, so a similarity "
        "near 0 has an absolute error"
    ),
}

_GRADIENT_EXACT_SCALE = Tolerance(
    8,
    None,
    "a product of the difference d or its sign with the reduction's factor: no "
    "cancellation",
)
LOSS_GRADIENT_TOLERANCES = {
    "mse_half_sum": _GRADIENT_EXACT_SCALE,
    "mse_mean": _GRADIENT_EXACT_SCALE,
    "mean_absolute_error": _GRADIENT_EXACT_SCALE,
    "smooth_l1": _GRADIENT_EXACT_SCALE,
    "hinge": _GRADIENT_EXACT_SCALE,
    "squared_hinge": _GRADIENT_EXACT_SCALE,
    "nll_loss": _GRADIENT_EXACT_SCALE,
    "log_cosh": _smooth(
        "tanh(d); Keras and optax differentiate their log-sum-exp forms, as "
        "1 - 2 sigmoid(2d), whose terms cancel near d = 0"
    ),
    "huber": _smooth(
        "clip(d, -delta, delta); optax differentiates 0.5 min(|d|, delta)^2 + "
        "delta (|d| - min(|d|, delta)), whose terms cancel beyond delta"
    ),
}
LOSS_GRADIENT_TOLERANCE = _smooth(
    "a difference such as softmax(z) - t, sigmoid(z) - t, 1 - t / y or the "
    "projection t_hat - cos y_hat: the terms cancel, so the error is absolute"
)

_TOLERANCES = {"value": VALUE_TOLERANCES, "gradient": GRADIENT_TOLERANCES}
_LOSS_TOLERANCES = {
    "value": LOSS_VALUE_TOLERANCES,
    "gradient": LOSS_GRADIENT_TOLERANCES,
}


def tolerance_for(function, kind="value", params=None):
    """Return the Tolerance of one function's values or gradients; ``params`` picks
    the form of a loss that takes probabilities or logits."""
    if function in _TOLERANCES[kind]:
        return _TOLERANCES[kind][function]
    if kind == "gradient":
        spec = LOSS_GRADIENT_TOLERANCES.get(function, LOSS_GRADIENT_TOLERANCE)
    else:
        spec = LOSS_VALUE_TOLERANCES[function]
    return spec(params) if callable(spec) else spec


def tolerance(function, framework, dtype, kind="value", params=None):
    """Return (rtol, atol, reason) for one cell.

    The framework does not change the tolerance: a framework that needs more is
    recorded as a defect in harness/known_defects.py, not given a wider bound.
    """
    del framework
    spec = tolerance_for(function, kind, params)
    rtol, atol = spec.resolve(dtype)
    return rtol, atol, spec.describe()
