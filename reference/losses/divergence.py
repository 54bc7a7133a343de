r"""Kullback-Leibler divergence and cosine similarity, each with its derivative with
respect to ``y_pred``.

Per sample, each is a sum over the last axis (``axis`` for cosine similarity), then
reduced as in ``reference.losses.reduction``. A ``*_vjp`` function takes
``(y_pred, cotangent, y_true, **params)``.
"""

import numpy as np
from scipy.special import xlogy

from reference.losses.reduction import floats, reduce, reduce_vjp


def _clipped(array, epsilon, clip_dtype):
    # Keras clips both arguments of its KL divergence to [eps, 1].
    low = epsilon if clip_dtype is None else float(np.asarray(epsilon, clip_dtype))
    return np.clip(array, low, 1.0), (array >= low) & (array <= 1.0)


def kl_divergence(
    y_pred,
    y_true,
    clip_epsilon=None,
    clip_dtype=None,
    reduction="none",
    sample_weight=None,
):
    r"""KL divergence of the prediction q from the label p, :math:`\sum_k p \log(p / q)`,
    0 log 0 = 0, with both arguments probabilities (Keras' argument order).

    ``clip_epsilon`` clips both to [eps, 1] first, as Keras does with eps = 1e-7.
    """
    q, p = floats(y_pred, y_true)
    if clip_epsilon is not None:
        q, _ = _clipped(q, clip_epsilon, clip_dtype)
        p, _ = _clipped(p, clip_epsilon, clip_dtype)
    with np.errstate(divide="ignore"):
        per_sample = np.sum(xlogy(p, p) - xlogy(p, q), axis=-1)
    return reduce(per_sample, reduction, sample_weight)


def kl_divergence_vjp(
    y_pred,
    cotangent,
    y_true,
    clip_epsilon=None,
    clip_dtype=None,
    reduction="none",
    sample_weight=None,
):
    q, p = floats(y_pred, y_true)
    inside = np.ones_like(q, dtype=bool)
    if clip_epsilon is not None:
        q, inside = _clipped(q, clip_epsilon, clip_dtype)
        p, _ = _clipped(p, clip_epsilon, clip_dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        derivative = np.where(inside & (p != 0), -p / q, 0.0)
    per_sample = reduce_vjp(cotangent, q.shape[:-1], reduction, sample_weight)
    return per_sample[..., np.newaxis] * derivative


def kl_divergence_log_input(
    y_pred, y_true, log_target=False, element_mean=False, reduction="none"
):
    r"""KL divergence with the prediction given as log q: :math:`\sum_k p (\log p - \log q)`.

    ``y_true`` is p, or log p when ``log_target=True``. ``element_mean=True`` divides
    "mean" by every element, N k, instead of the N samples, as torch's kl_div does with
    reduction="mean" (its docs recommend "batchmean" for the divergence itself).
    """
    log_q, target = floats(y_pred, y_true)
    if log_target:
        per_sample = np.sum(np.exp(target) * (target - log_q), axis=-1)
    else:
        per_sample = np.sum(xlogy(target, target) - target * log_q, axis=-1)
    count = log_q.size if element_mean else None
    return reduce(per_sample, reduction, mean_count=count)


def kl_divergence_log_input_vjp(
    y_pred, cotangent, y_true, log_target=False, element_mean=False, reduction="none"
):
    log_q, target = floats(y_pred, y_true)
    p = np.exp(target) if log_target else target
    count = log_q.size if element_mean else None
    per_sample = reduce_vjp(cotangent, log_q.shape[:-1], reduction, mean_count=count)
    return -per_sample[..., np.newaxis] * p


def _norms(y, t, norm_floor):
    y_norm = np.sqrt(np.sum(y * y, axis=-1, keepdims=True))
    t_norm = np.sqrt(np.sum(t * t, axis=-1, keepdims=True))
    if norm_floor is not None:
        y_norm, t_norm = np.maximum(y_norm, norm_floor), np.maximum(t_norm, norm_floor)
    return y_norm, t_norm


def cosine_similarity(
    y_pred,
    y_true,
    axis=-1,
    negate=False,
    norm_floor=None,
    floor_gradient="constant",
    reduction="none",
    sample_weight=None,
):
    r"""Cosine similarity :math:`\sum_k y_k t_k / (\lVert y \rVert \lVert t \rVert)`.

    ``negate=True`` returns its negative, as Keras' loss does, so that minimizing it
    aligns the vectors. ``norm_floor`` bounds each norm from below: Keras 3 uses 1e-7
    and torch 1e-8.
    """
    del floor_gradient  # the derivative's option; the value is the same
    y, t = floats(y_pred, y_true)
    y, t = np.moveaxis(y, axis, -1), np.moveaxis(t, axis, -1)
    y_norm, t_norm = _norms(y, t, norm_floor)
    with np.errstate(invalid="ignore", divide="ignore"):
        similarity = np.sum((y / y_norm) * (t / t_norm), axis=-1)
    return reduce(-similarity if negate else similarity, reduction, sample_weight)


def cosine_similarity_vjp(
    y_pred,
    cotangent,
    y_true,
    axis=-1,
    negate=False,
    norm_floor=None,
    floor_gradient="constant",
    reduction="none",
    sample_weight=None,
):
    """Return the derivative with respect to y_pred.

    Above the floor, d cos / d y = (t_hat - cos y_hat) / |y|. Below it the frameworks
    differ: y / max(|y|, f) is y / f there, so its derivative is t_hat / f
    (``floor_gradient="constant"``, Keras); torch clamps the norm without recording
    the clamp for autograd (``"torch"``), which leaves t / (f |t|) - (y . t) y /
    (f^2 |t| |y|).
    """
    y, t = floats(y_pred, y_true)
    y, t = np.moveaxis(y, axis, -1), np.moveaxis(t, axis, -1)
    y_norm = np.sqrt(np.sum(y * y, axis=-1, keepdims=True))
    y_floored, t_norm = _norms(y, t, norm_floor)
    with np.errstate(invalid="ignore", divide="ignore"):
        t_hat = t / t_norm
        y_hat = y / y_floored
        similarity = np.sum(y_hat * t_hat, axis=-1, keepdims=True)
        derivative = (t_hat - similarity * y_hat) / y_floored
        if norm_floor is not None:
            below = y_norm < norm_floor
            if floor_gradient == "torch":
                dot = np.sum(y * t, axis=-1, keepdims=True)
                second = np.where(
                    y_norm > 0, dot * y / (norm_floor**2 * t_norm * y_norm), 0.0
                )
                clamped = t_hat / norm_floor - second
            else:
                clamped = t_hat / norm_floor
            derivative = np.where(below, clamped, derivative)
    if negate:
        derivative = -derivative
    per_sample = reduce_vjp(cotangent, y.shape[:-1], reduction, sample_weight)
    return np.moveaxis(per_sample[..., np.newaxis] * derivative, -1, axis)
