"""Models of recorded defects: what the framework computes instead of the reference.

A model reproduces the defect in float64, so the suite checks that a framework still
shows exactly the recorded defect and not some other error. Each model takes
``(kind, inputs, params)``, with ``inputs`` the float64 arrays of the case (``x`` or
``x, cotangent`` for a gradient), and returns the expected output.
"""

import numpy as np
from scipy.special import erfc

from reference import activations, losses
from reference.losses import reduction

# 1/sqrt(2) as TensorFlow's gelu casts it: rounded to float32, then to float64.
TF_FLOAT32_INV_SQRT2 = float(np.float32(0.7071067811865476))


def tensorflow_leaky_relu_float32_slope(kind, inputs, params):
    """leaky_relu with its slope rounded to float32, as the LeakyRelu attribute does."""
    slope = float(np.float32(params["negative_slope"]))
    if kind == "gradient":
        x, v = inputs
        return activations.leaky_relu_vjp(x, v, negative_slope=slope)
    return activations.leaky_relu(inputs[0], negative_slope=slope)


def tensorflow_gelu_float32_constants(kind, inputs, params):
    """tf.nn.gelu's erf form with 1/sqrt(2) rounded to float32."""
    x = inputs[0]
    scaled = x * TF_FLOAT32_INV_SQRT2
    with np.errstate(over="ignore", invalid="ignore"):
        if kind == "gradient":
            density = np.exp(-(scaled**2)) / np.sqrt(np.pi)
            derivative = 0.5 * erfc(-scaled) + scaled * density
            return inputs[1] * derivative
        return 0.5 * x * erfc(-scaled)


def nan_at_infinities(signs):
    """Model: the reference, but NaN at the infinities of the given signs (+1, -1)."""

    def model(kind, inputs, params, reference):
        x = inputs[0]
        expected = np.array(reference, dtype=np.float64)
        for sign in signs:
            expected = np.where(x == sign * np.inf, np.nan, expected)
        return expected

    model.needs_reference = True
    return model


def onednn_softmax_nan_rows(kind, inputs, params, reference):
    """Softmax where a row holding NaN is NaN there and 0 elsewhere."""
    x = inputs[0]
    axis = params.get("axis", -1)
    expected = np.array(reference, dtype=np.float64)
    row_has_nan = np.any(np.isnan(x), axis=axis, keepdims=True)
    return np.where(row_has_nan, np.where(np.isnan(x), np.nan, 0.0), expected)


onednn_softmax_nan_rows.needs_reference = True


def keras_celu_double_gradient_at_zero(kind, inputs, params):
    """celu's derivative, but 2 at x = 0 where tf.maximum and tf.minimum both pass."""
    x, v = inputs
    gradient = activations.celu_vjp(x, v, **params)
    return np.where(x == 0, 2.0 * v, gradient)


def torch_hardsigmoid_float32_sixth(kind, inputs, params):
    """hardsigmoid's derivative with 1/6 rounded to float32."""
    x, v = inputs
    sixth = float(np.float32(1.0 / 6.0))
    return v * np.where((x > -3) & (x < 3), sixth, 0.0)


def positive_zero(kind, inputs, params, reference):
    """Return the reference with every -0.0 turned into +0.0."""
    expected = np.array(reference, dtype=np.float64)
    return np.where(expected == 0, 0.0, expected)


positive_zero.needs_reference = True


def negative_zero_kept(kind, inputs, params, reference):
    """Return the reference with -0.0 wherever the input is -0.0."""
    x = inputs[0]
    negative_zero = (x == 0) & np.signbit(x)
    return np.where(negative_zero, -0.0, np.array(reference, dtype=np.float64))


negative_zero_kept.needs_reference = True


def torch_celu_float32_alpha(kind, inputs, params):
    """celu's derivative with 1/alpha computed from alpha rounded to float32.

    derivatives.yaml passes input_scale = 1.0 / alpha.toFloat() to elu_backward,
    which returns v * alpha * s * exp(x * s) for x <= 0 and v for x > 0.
    """
    x, v = inputs
    alpha = params["alpha"]
    scale = 1.0 / float(np.float32(alpha))
    with np.errstate(over="ignore"):
        negative = alpha * scale * np.exp(np.minimum(x, 0.0) * scale)
    return v * np.where(x > 0, 1.0, negative)


def _reduce_rows(elementwise, params):
    return reduction.reduce_elements(
        elementwise, params.get("reduction", "none"), params.get("sample_weight")
    )


def _smoothed(t, params):
    smoothing = params.get("label_smoothing", 0.0)
    return t * (1.0 - smoothing) + 0.5 * smoothing


def tensorflow_sigmoid_cross_entropy_literal(kind, inputs, params):
    """tf.nn.sigmoid_cross_entropy_with_logits as written, max(z, 0) - z t +
    log1p(exp(-|z|)): inf - inf is NaN at z = +inf, and -inf * 0 at z = -inf, t = 0."""
    z, t = inputs[0], _smoothed(inputs[1], params)
    with np.errstate(invalid="ignore", over="ignore"):
        elementwise = np.maximum(z, 0.0) - z * t + np.log1p(np.exp(-np.abs(z)))
    return _reduce_rows(elementwise, params)


def optax_sigmoid_cross_entropy_literal(kind, inputs, params):
    """optax.losses.sigmoid_binary_cross_entropy as written, -t log_sigmoid(z) -
    (1 - t) log_sigmoid(-z): an infinite label gives inf - inf, NaN."""
    z, t = inputs[0], _smoothed(inputs[1], params)
    with np.errstate(invalid="ignore", over="ignore"):
        log_sigmoid = -np.logaddexp(0.0, -z)
        log_sigmoid_negative = -np.logaddexp(0.0, z)
        elementwise = -t * log_sigmoid - (1.0 - t) * log_sigmoid_negative
    return _reduce_rows(elementwise, params)


# log(2) as Keras' log_cosh computes it, ops.log(2.0) in float32, then widened.
KERAS_FLOAT32_LOG2 = float(np.log(np.float32(2.0)))


def keras_log_cosh_literal(kind, inputs, params):
    """keras.losses.log_cosh as written, d + softplus(-2 d) - log(2) with log(2) in
    float32: in float64 each element is 1.9e-9 low, and d = -inf gives -inf + inf."""
    y_pred, y_true = inputs
    d = y_pred - y_true
    with np.errstate(invalid="ignore", over="ignore"):
        elementwise = d + np.logaddexp(0.0, -2.0 * d) - KERAS_FLOAT32_LOG2
    return _reduce_rows(elementwise, params)


def tensorflow_weighted_cross_entropy_gradient_at_zero(kind, inputs, params):
    """Return the weighted sigmoid cross-entropy gradient with (1 - t) at z = 0 exactly.

    tf.nn.weighted_cross_entropy_with_logits adds log1p(exp(-|z|)) and relu(-z), whose
    gradients at z = 0 are both 0, so the -(1 + (w - 1) t) / 2 term is lost there.
    """
    z, cotangent, t = inputs
    exact = losses.weighted_sigmoid_cross_entropy_vjp(z, cotangent, t, **params)
    scale = 1.0 + (params["pos_weight"] - 1.0) * t
    missing = np.where(z == 0, 0.5 * scale, 0.0)
    correction = reduction.reduce_elements_vjp(
        missing, cotangent, params.get("reduction", "none")
    )
    return exact + correction


def keras_smoothing_over_last_axis(kind, inputs, params):
    """Categorical cross-entropy with labels smoothed by ls / k, k the size of the
    last axis whatever the class axis is.

    Those labels no longer sum to 1, and the gradient of
    tf.nn.softmax_cross_entropy_with_logits is softmax(z) - t, which is the
    derivative only for labels that do, so the gradient is modelled as that.
    """
    if kind == "gradient":
        y_pred, cotangent, y_true = inputs
    else:
        y_pred, y_true = inputs
    smoothing = params["label_smoothing"]
    smoothed = y_true * (1.0 - smoothing) + smoothing / y_true.shape[-1]
    unsmoothed = {**params, "label_smoothing": 0.0}
    if kind != "gradient":
        return losses.categorical_crossentropy(y_pred, smoothed, **unsmoothed)
    axis = params.get("axis", -1)
    z, t = np.moveaxis(y_pred, axis, -1), np.moveaxis(smoothed, axis, -1)
    shifted = np.exp(z - np.max(z, axis=-1, keepdims=True))
    softmax = shifted / np.sum(shifted, axis=-1, keepdims=True)
    per_sample = reduction.reduce_vjp(
        cotangent, z.shape[:-1], params.get("reduction", "none")
    )
    return np.moveaxis(per_sample[..., np.newaxis] * (softmax - t), -1, axis)


def nan_rows_with_positive_infinite_logit(kind, inputs, params, reference):
    """Return the reference with NaN for each sample whose logits contain +inf.

    logsumexp evaluated as m + log(sum(exp(z - m))) with m = +inf gives inf - inf.
    """
    logits = np.moveaxis(inputs[0], params.get("axis", -1), -1)
    expected = np.array(reference, dtype=np.float64)
    return np.where(np.any(logits == np.inf, axis=-1), np.nan, expected)


nan_rows_with_positive_infinite_logit.needs_reference = True


def tensorflow_softmax_cross_entropy_gradient(kind, inputs, params):
    """Return the gradient of tf.nn.softmax_cross_entropy_with_logits, softmax(z) - t.

    That is the derivative only where each row of t sums to 1. The labels are smoothed
    by ls / k first.
    """
    y_pred, cotangent, y_true = inputs
    axis = params.get("axis", -1)
    z, t = np.moveaxis(y_pred, axis, -1), np.moveaxis(y_true, axis, -1)
    smoothing = params.get("label_smoothing", 0.0)
    t = t * (1.0 - smoothing) + smoothing / t.shape[-1]
    shifted = np.exp(z - np.max(z, axis=-1, keepdims=True))
    softmax = shifted / np.sum(shifted, axis=-1, keepdims=True)
    per_sample = reduction.reduce_vjp(
        cotangent, z.shape[:-1], params.get("reduction", "none")
    )
    return np.moveaxis(per_sample[..., np.newaxis] * (softmax - t), -1, axis)
