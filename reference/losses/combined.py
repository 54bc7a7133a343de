r"""One scalar from several outputs' losses, as a model with several outputs trains on.

Keras' ``Model.compile(loss=[...], loss_weights=[...])`` reduces each output's loss to
its batch mean and adds them with the weights: :math:`L = \sum_i w_i L_i`. Here the
two outputs are stacked on a leading axis of ``y_pred`` and ``y_true``: output 0 is a
regression head (mean squared error) and output 1 a binary head on logits (sigmoid
cross-entropy).
"""

import numpy as np

from reference.losses.binary import (
    sigmoid_cross_entropy_with_logits,
    sigmoid_cross_entropy_with_logits_vjp,
)
from reference.losses.reduction import floats
from reference.losses.regression import mse_mean, mse_mean_vjp


def two_output_loss(y_pred, y_true, loss_weights=(1.0, 1.0)):
    """Return w0 * mean squared error of output 0 + w1 * sigmoid cross-entropy of 1."""
    y_pred, y_true = floats(y_pred, y_true)
    regression = mse_mean(y_pred[0], y_true[0], reduction="mean")
    binary = sigmoid_cross_entropy_with_logits(y_pred[1], y_true[1], reduction="mean")
    return np.float64(loss_weights[0] * regression + loss_weights[1] * binary)


def two_output_loss_vjp(y_pred, cotangent, y_true, loss_weights=(1.0, 1.0)):
    y_pred, y_true = floats(y_pred, y_true)
    cotangent = float(cotangent)
    regression = mse_mean_vjp(
        y_pred[0], cotangent * loss_weights[0], y_true[0], reduction="mean"
    )
    binary = sigmoid_cross_entropy_with_logits_vjp(
        y_pred[1], cotangent * loss_weights[1], y_true[1], reduction="mean"
    )
    return np.stack([regression, binary])
