r"""Elementwise losses on real-valued predictions: squared, absolute, Huber, log-cosh,
Poisson and hinge, each with its derivative with respect to ``y_pred``.

Per sample, each is the mean over the last axis of an elementwise term e(d), with
d = y_pred - y_true (Keras' per-sample convention), then reduced as in
``reference.losses.reduction``. ``element_sum=True`` gives torch's "sum", which runs over
all elements. A ``*_vjp`` function takes ``(y_pred, cotangent, y_true, **params)``.
"""

import numpy as np

from reference.losses.reduction import (
    floats,
    reduce,
    reduce_elements,
    reduce_elements_vjp,
    reduce_vjp,
)


def mse_half_sum(y_pred, y_true, reduction="none"):
    r"""Textbook squared error :math:`E = \tfrac12 \sum_k (y_k - t_k)^2` (Saito, 2016, 4.2)."""
    y_pred, y_true = floats(y_pred, y_true)
    return reduce(0.5 * np.sum((y_pred - y_true) ** 2, axis=-1), reduction)


def mse_half_sum_vjp(y_pred, cotangent, y_true, reduction="none"):
    y_pred, y_true = floats(y_pred, y_true)
    per_sample = reduce_vjp(cotangent, y_pred.shape[:-1], reduction)
    return per_sample[..., np.newaxis] * (y_pred - y_true)


def mse_mean(y_pred, y_true, reduction="none", sample_weight=None, element_sum=False):
    r"""Mean squared error, :math:`\frac1k \sum_k (y_k - t_k)^2` per sample."""
    y_pred, y_true = floats(y_pred, y_true)
    return reduce_elements(
        (y_pred - y_true) ** 2, reduction, sample_weight, element_sum
    )


def mse_mean_vjp(
    y_pred, cotangent, y_true, reduction="none", sample_weight=None, element_sum=False
):
    y_pred, y_true = floats(y_pred, y_true)
    derivative = 2.0 * (y_pred - y_true)
    return reduce_elements_vjp(
        derivative, cotangent, reduction, sample_weight, element_sum
    )


def mean_absolute_error(
    y_pred, y_true, reduction="none", sample_weight=None, element_sum=False
):
    """Mean absolute error, mean |y - t| per sample."""
    y_pred, y_true = floats(y_pred, y_true)
    return reduce_elements(
        np.abs(y_pred - y_true), reduction, sample_weight, element_sum
    )


def mean_absolute_error_vjp(
    y_pred, cotangent, y_true, reduction="none", sample_weight=None, element_sum=False
):
    # The derivative of |d| at d = 0 is taken as sign(0) = 0, as all three frameworks do.
    y_pred, y_true = floats(y_pred, y_true)
    derivative = np.sign(y_pred - y_true)
    return reduce_elements_vjp(
        derivative, cotangent, reduction, sample_weight, element_sum
    )


def huber(
    y_pred, y_true, delta=1.0, reduction="none", sample_weight=None, element_sum=False
):
    r"""Huber loss: :math:`d^2/2` for :math:`|d| \le \delta`, else
    :math:`\delta(|d| - \delta/2)` (Huber, 1964)."""
    y_pred, y_true = floats(y_pred, y_true)
    d = y_pred - y_true
    small = np.abs(d) <= delta
    elementwise = np.where(small, 0.5 * d * d, delta * (np.abs(d) - 0.5 * delta))
    return reduce_elements(elementwise, reduction, sample_weight, element_sum)


def huber_vjp(
    y_pred,
    cotangent,
    y_true,
    delta=1.0,
    reduction="none",
    sample_weight=None,
    element_sum=False,
):
    y_pred, y_true = floats(y_pred, y_true)
    derivative = np.clip(y_pred - y_true, -delta, delta)
    return reduce_elements_vjp(
        derivative, cotangent, reduction, sample_weight, element_sum
    )


def smooth_l1(y_pred, y_true, beta=1.0, reduction="none", element_sum=False):
    r"""Smooth L1 loss: :math:`d^2 / (2\beta)` for :math:`|d| < \beta`, else
    :math:`|d| - \beta/2`; it equals Huber with delta = beta, divided by beta."""
    y_pred, y_true = floats(y_pred, y_true)
    d = y_pred - y_true
    elementwise = np.where(np.abs(d) < beta, 0.5 * d * d / beta, np.abs(d) - 0.5 * beta)
    return reduce_elements(elementwise, reduction, None, element_sum)


def smooth_l1_vjp(
    y_pred, cotangent, y_true, beta=1.0, reduction="none", element_sum=False
):
    y_pred, y_true = floats(y_pred, y_true)
    d = y_pred - y_true
    derivative = np.where(np.abs(d) < beta, d / beta, np.sign(d))
    return reduce_elements_vjp(derivative, cotangent, reduction, None, element_sum)


def _log_cosh(d):
    # log(cosh(d)) = |d| + log1p(exp(-2|d|)) - log(2), which does not overflow.
    a = np.abs(d)
    return a + np.log1p(np.exp(-2.0 * a)) - np.log(2.0)


def log_cosh(y_pred, y_true, reduction="none", sample_weight=None):
    """Log-cosh loss, mean log(cosh(y - t)) per sample."""
    y_pred, y_true = floats(y_pred, y_true)
    return reduce_elements(_log_cosh(y_pred - y_true), reduction, sample_weight)


def log_cosh_vjp(y_pred, cotangent, y_true, reduction="none", sample_weight=None):
    y_pred, y_true = floats(y_pred, y_true)
    derivative = np.tanh(y_pred - y_true)
    return reduce_elements_vjp(derivative, cotangent, reduction, sample_weight)


def poisson(
    y_pred,
    y_true,
    log_input=False,
    log_epsilon=None,
    reduction="none",
    sample_weight=None,
    element_sum=False,
):
    r"""Poisson negative log-likelihood without the log(t!) term.

    With ``log_input=False`` y_pred is the rate: :math:`y - t \log y`, 0 log 0 = 0.
    With ``log_input=True`` it is the log-rate: :math:`e^y - t y`.
    ``log_epsilon`` adds that constant inside the log (Keras 1e-7, torch 1e-8).
    """
    y_pred, y_true = floats(y_pred, y_true)
    if log_input:
        elementwise = np.exp(y_pred) - y_true * y_pred
    else:
        shift = 0.0 if log_epsilon is None else log_epsilon
        with np.errstate(divide="ignore", invalid="ignore"):
            log_rate = np.log(y_pred + shift)
            elementwise = y_pred - np.where(y_true == 0, 0.0, y_true * log_rate)
    return reduce_elements(elementwise, reduction, sample_weight, element_sum)


def poisson_vjp(
    y_pred,
    cotangent,
    y_true,
    log_input=False,
    log_epsilon=None,
    reduction="none",
    sample_weight=None,
    element_sum=False,
):
    y_pred, y_true = floats(y_pred, y_true)
    if log_input:
        derivative = np.exp(y_pred) - y_true
    else:
        shift = 0.0 if log_epsilon is None else log_epsilon
        with np.errstate(divide="ignore", invalid="ignore"):
            derivative = 1.0 - y_true / (y_pred + shift)
    return reduce_elements_vjp(
        derivative, cotangent, reduction, sample_weight, element_sum
    )


def _signed_labels(y_true, convert_binary_labels):
    # Keras' hinge losses turn labels that are all 0 or 1 into -1 and 1.
    if convert_binary_labels and np.all((y_true == 0) | (y_true == 1)):
        return 2.0 * y_true - 1.0
    return y_true


def hinge(
    y_pred,
    y_true,
    convert_binary_labels=False,
    margin_share=0.0,
    reduction="none",
    sample_weight=None,
):
    r"""Hinge loss :math:`\max(0, 1 - t y)` with labels t in {-1, 1}."""
    del margin_share  # the derivative's option at the margin; the value is the same
    y_pred, y_true = floats(y_pred, y_true)
    t = _signed_labels(y_true, convert_binary_labels)
    return reduce_elements(np.maximum(1.0 - t * y_pred, 0.0), reduction, sample_weight)


def hinge_vjp(
    y_pred,
    cotangent,
    y_true,
    convert_binary_labels=False,
    margin_share=0.0,
    reduction="none",
    sample_weight=None,
):
    """Return the derivative, -t where 1 - t y > 0 and 0 where it is < 0.

    At the margin, 1 - t y = 0, any value between -t and 0 is a subgradient:
    ``margin_share`` s gives -s t there (0 here, 1 for TensorFlow's maximum, whose
    gradient goes to its first argument on a tie, 1/2 for jax.numpy's, which splits it).
    """
    y_pred, y_true = floats(y_pred, y_true)
    t = _signed_labels(y_true, convert_binary_labels)
    margin = 1.0 - t * y_pred
    derivative = np.where(
        margin > 0.0, -t, np.where(margin == 0.0, -margin_share * t, 0.0)
    )
    return reduce_elements_vjp(derivative, cotangent, reduction, sample_weight)


def squared_hinge(
    y_pred, y_true, convert_binary_labels=False, reduction="none", sample_weight=None
):
    r"""Squared hinge loss :math:`\max(0, 1 - t y)^2` with labels t in {-1, 1}."""
    y_pred, y_true = floats(y_pred, y_true)
    t = _signed_labels(y_true, convert_binary_labels)
    margin = np.maximum(1.0 - t * y_pred, 0.0)
    return reduce_elements(margin * margin, reduction, sample_weight)


def squared_hinge_vjp(
    y_pred,
    cotangent,
    y_true,
    convert_binary_labels=False,
    reduction="none",
    sample_weight=None,
):
    y_pred, y_true = floats(y_pred, y_true)
    t = _signed_labels(y_true, convert_binary_labels)
    derivative = -2.0 * t * np.maximum(1.0 - t * y_pred, 0.0)
    return reduce_elements_vjp(derivative, cotangent, reduction, sample_weight)
