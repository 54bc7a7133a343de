"""Seeded random inputs and extreme inputs for each loss, with explicit options.

Each loss runs with each of its option sets (``LOSS_OPTIONS``) under the three
reductions, on random inputs. Its extreme inputs (``finite_extremes`` and
``nonfinite_arrays``) run with each option set under reduction "none", so that each
sample's value is compared.
A gradient case is (y_pred, cotangent, y_true): the cotangent has the shape of the
loss's output, one value per sample for "none" and a scalar otherwise.
"""

import numpy as np

from cases.case import Case

REDUCTIONS = ("none", "sum", "mean")
BATCH, CLASSES = 16, 5
# One weight per sample of the (16, 5) inputs, zeros included: a weight of 0 must
# remove its sample from "sum" and keep it in the count of "mean".
SAMPLE_WEIGHT = [0.5, 1.0, 2.0, 0.0, 1.5, 0.25, 1.0, 3.0] * 2
CLASS_WEIGHT = [0.2, 1.0, 2.5, 0.7, 1.3]

# Options chosen away from every framework's default, so that a framework silently
# using its default is caught.
LOSS_OPTIONS = {
    "mse_half_sum": [{}],
    "mse_mean": [{}, {"sample_weight": SAMPLE_WEIGHT}],
    "mean_absolute_error": [{}, {"sample_weight": SAMPLE_WEIGHT}],
    "huber": [{"delta": 0.7}, {"delta": 1.3, "sample_weight": SAMPLE_WEIGHT}],
    "smooth_l1": [{"beta": 0.6}],
    "log_cosh": [{}, {"sample_weight": SAMPLE_WEIGHT}],
    "poisson": [
        {"log_input": False},
        {"log_input": True},
        {"log_input": False, "sample_weight": SAMPLE_WEIGHT},
    ],
    "hinge": [{}, {"sample_weight": SAMPLE_WEIGHT}],
    "squared_hinge": [{}, {"sample_weight": SAMPLE_WEIGHT}],
    "cross_entropy_delta": [{}],
    "binary_crossentropy": [
        {"from_logits": False},
        {"from_logits": True},
        {"from_logits": False, "label_smoothing": 0.2},
        {"from_logits": True, "label_smoothing": 0.2},
        {"from_logits": False, "sample_weight": SAMPLE_WEIGHT},
        {"from_logits": True, "sample_weight": SAMPLE_WEIGHT},
        {"from_logits": False, "class_weight": CLASS_WEIGHT},
        {"from_logits": True, "class_weight": CLASS_WEIGHT},
    ],
    "sigmoid_cross_entropy_with_logits": [{}],
    "weighted_sigmoid_cross_entropy": [{"pos_weight": 2.5}],
    "categorical_crossentropy": [
        {"from_logits": False},
        {"from_logits": True},
        {"from_logits": False, "label_smoothing": 0.1},
        {"from_logits": True, "label_smoothing": 0.1},
        {"from_logits": True, "axis": 1},
        {"from_logits": True, "axis": 1, "label_smoothing": 0.1},
        {"from_logits": False, "sample_weight": SAMPLE_WEIGHT},
        {"from_logits": True, "class_weight": CLASS_WEIGHT},
    ],
    "softmax_cross_entropy_with_logits": [{"axis": -1}, {"axis": 1}],
    "sparse_categorical_crossentropy": [
        {"from_logits": False},
        {"from_logits": True},
        {"from_logits": True, "class_weight": CLASS_WEIGHT},
        {"from_logits": True, "label_smoothing": 0.1},
        {"from_logits": True, "class_weight": CLASS_WEIGHT, "label_smoothing": 0.1},
        {"from_logits": False, "label_smoothing": 0.1},
        {"from_logits": True, "axis": 1},
        {"from_logits": True, "sample_weight": SAMPLE_WEIGHT},
    ],
    "nll_loss": [{}, {"class_weight": CLASS_WEIGHT}],
    "kl_divergence": [{}, {"sample_weight": SAMPLE_WEIGHT}],
    "kl_divergence_log_input": [{"log_target": False}, {"log_target": True}],
    "cosine_similarity": [
        {"axis": -1},
        {"axis": 0},
        {"axis": -1, "sample_weight": SAMPLE_WEIGHT},
    ],
    # Weights that do not sum to 1, so that normalizing them is caught.
    "two_output_loss": [{"loss_weights": [0.3, 1.7]}],
}
# Losses reduced by their own definition: they take no reduction parameter.
_SCALAR_LOSSES = ("two_output_loss",)


def _reductions(name):
    return (None,) if name in _SCALAR_LOSSES else REDUCTIONS


def _with_reduction(options, reduction):
    return dict(options) if reduction is None else {**options, "reduction": reduction}


def _probabilities(rng, shape, axis=-1):
    scores = rng.standard_normal(shape) * 2.0
    exponentials = np.exp(scores - scores.max(axis=axis, keepdims=True))
    return exponentials / exponentials.sum(axis=axis, keepdims=True)


def _class_shape(options):
    # A class axis of 1 runs on (batch, classes, positions), torch's own layout.
    return (4, CLASSES, 3) if options.get("axis") == 1 else (BATCH, CLASSES)


def _labels(rng, shape, axis):
    batch_shape = tuple(np.delete(np.array(shape), axis % len(shape)))
    return rng.integers(0, shape[axis], size=batch_shape)


def _one_hot(labels, classes, axis):
    return np.moveaxis(np.eye(classes)[labels], -1, axis)


def _categorical_arrays(name, rng, options, shape=None):
    shape = _class_shape(options) if shape is None else shape
    axis = options.get("axis", -1)
    logits = rng.standard_normal(shape) * 3.0
    probabilities = _probabilities(rng, shape, axis)
    from_logits = options.get("from_logits", True)
    if name == "sparse_categorical_crossentropy":
        return (logits if from_logits else probabilities), _labels(rng, shape, axis)
    if name == "nll_loss":
        return np.log(probabilities), _labels(rng, shape, axis)
    labels = _one_hot(_labels(rng, shape, axis), shape[axis], axis)
    if name == "categorical_crossentropy" and not from_logits:
        return probabilities, labels
    # Soft labels: each row of the target is itself a distribution.
    return logits, _probabilities(rng, shape, axis)


def arrays_along_axis(name, rng, options, shape=(3, 4, 5)):
    """Return (y_pred, y_true) of ``shape`` with the classes along options["axis"].

    Every axis has its own length, so a framework that reduces over another axis than
    the one declared fails on the shapes or on the values.
    """
    if name == "cosine_similarity":
        return rng.standard_normal(shape), rng.standard_normal(shape)
    return _categorical_arrays(name, rng, options, shape)


def random_arrays(name, rng, options):
    """Return (y_pred, y_true) drawn for one loss and option set."""
    shape = (BATCH, CLASSES)
    if name in ("mse_half_sum", "mse_mean", "mean_absolute_error", "log_cosh"):
        return rng.standard_normal(shape), rng.standard_normal(shape)
    if name in ("huber", "smooth_l1"):
        # Spread so that some differences fall on each side of delta or beta.
        return rng.standard_normal(shape) * 1.5, rng.standard_normal(shape)
    if name == "poisson":
        counts = rng.poisson(1.5, shape).astype(float)
        if options["log_input"]:
            return rng.standard_normal(shape) * 0.5, counts
        return rng.uniform(0.1, 3.0, shape), counts
    if name in ("hinge", "squared_hinge"):
        return rng.standard_normal(shape) * 1.5, rng.choice([-1.0, 1.0], shape)
    if name == "binary_crossentropy" and not options["from_logits"]:
        return rng.uniform(0.01, 0.99, shape), rng.integers(0, 2, shape).astype(float)
    if name in ("binary_crossentropy", "sigmoid_cross_entropy_with_logits"):
        return rng.standard_normal(shape) * 3.0, rng.uniform(0.0, 1.0, shape)
    if name == "weighted_sigmoid_cross_entropy":
        return rng.standard_normal(shape) * 3.0, rng.integers(0, 2, shape).astype(float)
    if name == "cross_entropy_delta":
        return _probabilities(rng, shape), _one_hot(rng.integers(0, 5, BATCH), 5, -1)
    if name == "kl_divergence":
        return _probabilities(rng, shape), _probabilities(rng, shape)
    if name == "kl_divergence_log_input":
        target = _probabilities(rng, shape)
        target = np.log(target) if options["log_target"] else target
        return np.log(_probabilities(rng, shape)), target
    if name == "cosine_similarity":
        return rng.standard_normal(shape), rng.standard_normal(shape)
    if name == "two_output_loss":
        # Output 0 a regression head, output 1 a binary head on logits.
        y_pred = rng.standard_normal((2, *shape)) * 2.0
        y_true = np.stack([rng.standard_normal(shape), rng.uniform(0.0, 1.0, shape)])
        return y_pred, y_true
    return _categorical_arrays(name, rng, options)


# Probabilities at and within 1e-12 of 0 and 1, against both labels.
_SATURATED_P = [0.0, 1.0, 1e-12, 1.0 - 1e-12, 0.0, 1.0, 1e-12, 1.0 - 1e-12]
_SATURATED_T = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0]
_SATURATED_ROWS = [[0.0, 1.0, 0.0], [1e-12, 1.0 - 1e-12, 0.0], [0.5, 0.5, 0.0]]
_SATURATED_ROW_TRUE = [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
# Rows of "probabilities" that sum to 0.5 and to 2.
_UNNORMALIZED_ROWS = [[0.1, 0.3, 0.1], [0.5, 1.0, 0.5], [0.2, 0.2, 0.6]]
_EXTREME_LOGITS = [[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [0.0, 0.0, 0.0]]
_EXTREME_TRUE = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
_BINARY_LOSSES_ON_LOGITS = (
    "sigmoid_cross_entropy_with_logits",
    "weighted_sigmoid_cross_entropy",
)


def _probability_extremes(name, options):
    cases = {}
    if name == "binary_crossentropy" and not options.get("from_logits"):
        p = np.array(_SATURATED_P).reshape(4, 2)
        cases["saturated"] = (p, np.array(_SATURATED_T).reshape(4, 2))
    if name in ("cross_entropy_delta", "kl_divergence") or (
        name == "categorical_crossentropy" and not options.get("from_logits")
    ):
        cases["saturated"] = (np.array(_SATURATED_ROWS), np.array(_SATURATED_ROW_TRUE))
        cases["unnormalized"] = (
            np.array(_UNNORMALIZED_ROWS),
            np.array(_SATURATED_ROW_TRUE),
        )
    if name == "sparse_categorical_crossentropy" and not options.get("from_logits"):
        cases["saturated"] = (np.array(_SATURATED_ROWS), np.array([0, 0, 1]))
        cases["unnormalized"] = (np.array(_UNNORMALIZED_ROWS), np.array([0, 1, 2]))
    if name == "poisson" and not options.get("log_input"):
        cases["saturated"] = (
            np.array([[0.0, 1e-12, 2.0]]),
            np.array([[0.0, 1.0, 0.0]]),
        )
    return cases


def _logit_extremes(name, options):
    logits = np.array(_EXTREME_LOGITS)
    cases = {}
    if name in _BINARY_LOSSES_ON_LOGITS or (
        name == "binary_crossentropy" and options.get("from_logits")
    ):
        cases["extreme_logits"] = (logits, np.array(_EXTREME_TRUE))
    if name == "softmax_cross_entropy_with_logits" or (
        name == "categorical_crossentropy" and options.get("from_logits")
    ):
        cases["extreme_logits"] = (logits, np.array(_EXTREME_TRUE))
        # Soft targets whose rows sum to 0.5 and 2: the loss is still defined.
        cases["unnormalized"] = (
            np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [0.1, 0.2, 0.3]]),
            np.array(_UNNORMALIZED_ROWS),
        )
    if name == "sparse_categorical_crossentropy" and options.get("from_logits"):
        cases["extreme_logits"] = (logits, np.array([1, 0, 2]))
    if name == "poisson" and options.get("log_input"):
        # exp(y) overflows float32 above 88.7 and float64 above 709.8.
        cases["overflow"] = (
            np.array([[100.0, 800.0, -800.0]]),
            np.array([[1.0, 2.0, 0.0]]),
        )
    return cases


def _zero_extremes(name, options):
    """Zeros that the definition handles by a limit: 0 log 0, a zero vector."""
    if name == "kl_divergence_log_input":
        p = np.array(_SATURATED_ROW_TRUE) * 0.5 + np.array([[0.0, 0.5, 0.0]] * 3)
        with np.errstate(divide="ignore"):
            target = np.log(p) if options.get("log_target") else p
        return {"zero_target": (np.log(np.full((3, 3), 1.0 / 3.0)), target)}
    if name == "nll_loss":
        with np.errstate(divide="ignore"):
            log_p = np.log(np.array([[0.5, 0.5, 0.0], [0.0, 0.25, 0.75]]))
        return {"zero_probability": (log_p, np.array([0, 2]))}
    if name == "cosine_similarity":
        y_pred = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])
        y_true = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        return {"zero_vector": (y_pred, y_true)}
    return {}


def value_only_extremes(name, options):
    """Extremes whose gradient is too ill-conditioned to compare elementwise."""
    del options
    if name == "cosine_similarity":
        # A norm of 1e-9, below the floors frameworks put on norms (1e-8, 1e-7). The
        # gradient's component along y_pred is 0 by cancellation of terms of 1e9.
        y_pred = np.array([[1e-9, 0.0, 0.0], [1e-9, 1e-9, 0.0]])
        y_true = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
        return {"tiny_vector": (y_pred, y_true)}
    return {}


def _nonfinite(y_pred, y_true):
    """NaN and inf in y_pred (first rows) and in y_true (last rows), when it is float."""
    y_pred = np.array(y_pred[:4], dtype=np.float64)
    y_true = np.array(y_true[:4])
    y_pred[0, 0], y_pred[1, 0] = np.nan, np.inf
    if y_true.dtype.kind == "f":
        y_true[2, 0], y_true[3, 0] = np.nan, np.inf
    return y_pred, y_true


def finite_extremes(name, options):
    """Return {regime: (y_pred, y_true)} for the finite extreme inputs of one loss."""
    cases = {**_probability_extremes(name, options), **_logit_extremes(name, options)}
    cases.update(_zero_extremes(name, options))
    if name in ("hinge", "squared_hinge"):
        # Labels 0 and 1, which Keras turns into -1 and 1 and optax takes as they are.
        y_pred = np.array([[0.3, -1.2], [2.0, -0.4]])
        cases["binary_labels"] = (y_pred, np.array([[0.0, 1.0], [1.0, 0.0]]))
        # On the margin, t y = 1, where the derivative jumps from -t to 0.
        y_pred = np.array([[1.0, -1.0, 0.5], [-1.0, 2.0, 1.0]])
        cases["kink"] = (y_pred, np.array([[1.0, -1.0, 1.0], [1.0, 1.0, 1.0]]))
    if name == "mean_absolute_error":
        # y_pred = y_true, where |d| has no derivative; all frameworks give sign(0) = 0.
        y_pred = np.array([[0.5, 1.0, -2.0], [0.0, 3.0, 3.0]])
        cases["kink"] = (y_pred, np.array([[0.5, 0.0, -2.0], [0.0, 2.5, 3.0]]))
    return cases


def nonfinite_arrays(name, options):
    """Return (y_pred, y_true) with NaN and inf in either argument."""
    y_pred, y_true = random_arrays(name, np.random.default_rng(7), options)
    return _nonfinite(y_pred, y_true)


def fitted(options, y_pred):
    """Return the options with the class weights cut to the classes of ``y_pred``
    (the extremes have two or three on the last axis)."""
    if "class_weight" not in options:
        return options
    return {**options, "class_weight": CLASS_WEIGHT[: y_pred.shape[-1]]}


# Losses reduced over the last axis only: a 3-d case separates that axis from the others.
RANK3_LOSSES = (
    "mse_mean",
    "mean_absolute_error",
    "huber",
    "smooth_l1",
    "log_cosh",
    "poisson",
    "hinge",
    "binary_crossentropy",
    "sigmoid_cross_entropy_with_logits",
    "weighted_sigmoid_cross_entropy",
    "kl_divergence",
    "kl_divergence_log_input",
)


def rank3_arrays(name, options):
    """Return the random (16, 5) inputs reshaped to (4, 4, 5)."""
    y_pred, y_true = random_arrays(name, np.random.default_rng(11), options)
    return y_pred.reshape(4, 4, 5), y_true.reshape(4, 4, 5)


def _extreme_option_sets(name):
    """Return the option sets the extreme inputs run with: each distinct one without
    its sample weights (the extremes have fewer samples), on the last class axis
    (the extremes are 2-d, where any other class axis is the same)."""
    if name in _SCALAR_LOSSES:  # its parts have extreme cases of their own
        return []
    distinct = []
    for options in LOSS_OPTIONS[name]:
        options = {k: v for k, v in options.items() if k != "sample_weight"}
        if options.get("axis", -1) in (-1, 0) and options not in distinct:
            distinct.append(options)
    return distinct


def loss_value_cases():
    """Return the forward-value cases of every loss."""
    cases = []
    for name, option_sets in LOSS_OPTIONS.items():
        for options in option_sets:
            for reduction in _reductions(name):
                seed = 200 + len(cases)
                params = _with_reduction(options, reduction)
                arrays = random_arrays(name, np.random.default_rng(seed), options)
                cases.append(Case(name, "random", params, seed, arrays))
        for options in _extreme_option_sets(name):
            extremes = {
                **finite_extremes(name, options),
                **value_only_extremes(name, options),
            }
            for regime, arrays in extremes.items():
                params = {**fitted(options, arrays[0]), "reduction": "none"}
                cases.append(Case(name, regime, params, 0, arrays))
            arrays = nonfinite_arrays(name, options)
            params = {**options, "reduction": "none"}
            cases.append(Case(name, "nonfinite", params, 0, arrays))
        if name in RANK3_LOSSES:
            options = _extreme_option_sets(name)[0]
            params = {**options, "reduction": "none"}
            cases.append(Case(name, "rank3", params, 11, rank3_arrays(name, options)))
    return cases


def _cotangent(rng, y_pred, y_true, options, reduction):
    if reduction != "none":  # "sum", "mean" or a loss with its own reduction
        return np.array(rng.standard_normal())
    axis = options.get("axis", -1)
    batch_shape = tuple(np.delete(np.array(y_pred.shape), axis % y_pred.ndim))
    return rng.standard_normal(batch_shape)


def loss_gradient_cases():
    """Return the gradient cases of every loss that has a derivative: the random
    inputs under each reduction, and the finite extremes."""
    cases = []
    for name, option_sets in LOSS_OPTIONS.items():
        if name == "cross_entropy_delta":  # a textbook form with no framework gradient
            continue
        for options in option_sets:
            for reduction in _reductions(name):
                seed = 600 + len(cases)
                rng = np.random.default_rng(seed)
                params = _with_reduction(options, reduction)
                y_pred, y_true = random_arrays(name, rng, options)
                cotangent = _cotangent(rng, y_pred, y_true, options, reduction)
                cases.append(
                    Case(name, "random", params, seed, (y_pred, cotangent, y_true))
                )
        for options in _extreme_option_sets(name):
            for regime, (y_pred, y_true) in finite_extremes(name, options).items():
                params = {**fitted(options, y_pred), "reduction": "none"}
                rng = np.random.default_rng(0)
                cotangent = _cotangent(rng, y_pred, y_true, options, "none")
                cases.append(Case(name, regime, params, 0, (y_pred, cotangent, y_true)))
        if name in RANK3_LOSSES:
            options = _extreme_option_sets(name)[0]
            params = {**options, "reduction": "none"}
            y_pred, y_true = rank3_arrays(name, options)
            cotangent = np.random.default_rng(12).standard_normal(y_pred.shape[:-1])
            arrays = (y_pred, cotangent, y_true)
            cases.append(Case(name, "rank3", params, 11, arrays))
    return cases
