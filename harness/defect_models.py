"""Models of recorded defects: what the framework computes instead of the reference.

A model reproduces the defect in float64, so the suite checks that a framework still
shows exactly the recorded defect and not some other error. Each model takes
``(kind, inputs, params)``, with ``inputs`` the float64 arrays of the case (``x`` or
``x, cotangent`` for a gradient), and returns the expected output.
"""

import numpy as np
from scipy.special import erfc

from reference import activations

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
