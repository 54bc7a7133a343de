r"""Loss functions evaluated in float64, one value per sample or their batch mean.

Arguments follow the Keras names: ``y_pred`` is the network output (probabilities or
logits), ``y_true`` the label, both of shape ``(..., k)`` with the last axis running
over the output dimension k. ``reduction="none"`` returns one value per sample (shape
``(...)``); ``reduction="mean"`` returns their mean, which is Keras'
``"sum_over_batch_size"`` and the textbook mini-batch average
:math:`E = -\frac{1}{N}\sum_n \sum_k t_{nk} \log y_{nk}`.

Per sample, the elementwise losses (mean squared error, binary cross-entropy, sigmoid
cross-entropy) take the mean over the last axis, as ``keras.losses.*`` functions do.
The distribution losses (the cross-entropies over classes) take the sum over it.

Functions whose frameworks guard ``log(0)`` in different ways take the guard as
keyword arguments; ``reference.registry`` names each combination as a variant with its
source.
"""

import numpy as np
from scipy.special import xlogy

REDUCTIONS = ("none", "mean")


def _as_float64(*arrays):
    return [np.asarray(a, dtype=np.float64) for a in arrays]


def _reduce(per_sample, reduction):
    if reduction == "none":
        return per_sample
    if reduction == "mean":
        return np.mean(per_sample)
    raise ValueError(
        f"reduction={reduction!r} is not supported; use one of {REDUCTIONS}"
    )


def mse_half_sum(y_pred, y_true, reduction="none"):
    r"""Textbook squared error :math:`E = \tfrac12 \sum_k (y_k - t_k)^2` (Saito, 2016, 4.2)."""
    y_pred, y_true = _as_float64(y_pred, y_true)
    return _reduce(0.5 * np.sum((y_pred - y_true) ** 2, axis=-1), reduction)


def mse_mean(y_pred, y_true, reduction="none"):
    r"""Framework mean squared error :math:`\frac1k \sum_k (y_k - t_k)^2` per sample."""
    y_pred, y_true = _as_float64(y_pred, y_true)
    return _reduce(np.mean((y_pred - y_true) ** 2, axis=-1), reduction)


def cross_entropy_delta(y_pred, y_true, delta=1e-7, reduction="none"):
    r"""Textbook cross-entropy :math:`E = -\sum_k t_k \log(y_k + \delta)`, delta = 1e-7.

    The delta keeps log(0) finite (Saito, "Deep Learning from Scratch", 2016, 4.2.2).
    """
    y_pred, y_true = _as_float64(y_pred, y_true)
    return _reduce(-np.sum(y_true * np.log(y_pred + delta), axis=-1), reduction)


def _clip(p, epsilon, clip_dtype):
    # Frameworks hold the bounds eps and 1 - eps in the tensor's dtype: in float32,
    # 1 - 1e-7 rounds to 1 - 2**-23, so the clipped log(1 - p) is log(2**-23) there.
    low, high = epsilon, 1.0 - epsilon
    if clip_dtype is not None:
        low, high = (
            float(np.asarray(low, clip_dtype)),
            float(np.asarray(high, clip_dtype)),
        )
    return np.clip(p, low, high)


def binary_crossentropy(
    y_pred,
    y_true,
    clip_epsilon=None,
    log_epsilon=None,
    log_floor=None,
    clip_dtype=None,
    reduction="none",
):
    r"""Binary cross-entropy on probabilities, the mean over the last axis of

    .. math:: -\,[\,t \log p + (1 - t) \log(1 - p)\,]

    with ``0 * log(0)`` taken as 0. The guards, each off when None:
    ``clip_epsilon`` clips p to [eps, 1 - eps] first (Keras, eps = 1e-7);
    ``log_epsilon`` adds eps inside both logs (tf.keras 2.x, eps = 1e-7);
    ``log_floor`` clamps both logs from below (PyTorch, floor = -100).
    ``clip_dtype`` rounds the clip bounds to that dtype, as the frameworks do.
    """
    y_pred, y_true = _as_float64(y_pred, y_true)
    p = y_pred if clip_epsilon is None else _clip(y_pred, clip_epsilon, clip_dtype)
    # log(1 - p) as log1p(-p): 1 - p itself rounds away most digits for tiny p.
    shift = 0.0 if log_epsilon is None else log_epsilon
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p, log_q = np.log(p + shift), np.log1p(shift - p)
    if log_floor is not None:
        log_p, log_q = np.maximum(log_p, log_floor), np.maximum(log_q, log_floor)
    # xlogy semantics by hand: a zero weight cancels an infinite log.
    with np.errstate(invalid="ignore"):
        positive_term = np.where(y_true == 0, 0.0, y_true * log_p)
        negative_term = np.where(y_true == 1, 0.0, (1.0 - y_true) * log_q)
    return _reduce(-np.mean(positive_term + negative_term, axis=-1), reduction)


def categorical_crossentropy(
    y_pred,
    y_true,
    clip_epsilon=None,
    normalize=False,
    clip_dtype=None,
    reduction="none",
):
    r"""Categorical cross-entropy on probabilities, :math:`-\sum_k t_k \log p_k`.

    ``0 * log(0)`` is taken as 0. ``normalize=True`` first divides each row by its sum
    and ``clip_epsilon`` then clips p to [eps, 1 - eps], with the bounds rounded to
    ``clip_dtype`` when given; Keras does both, eps = 1e-7.
    """
    y_pred, y_true = _as_float64(y_pred, y_true)
    p = y_pred
    if normalize:
        p = p / np.sum(p, axis=-1, keepdims=True)
    if clip_epsilon is not None:
        p = _clip(p, clip_epsilon, clip_dtype)
    with np.errstate(divide="ignore"):
        per_sample = -np.sum(xlogy(y_true, p), axis=-1)
    return _reduce(per_sample, reduction)


def softmax_cross_entropy_with_logits(y_pred, y_true, reduction="none"):
    r"""Cross-entropy of softmax(logits): :math:`-\sum_k t_k (z_k - \mathrm{logsumexp}(z))`.

    ``y_pred`` contains the logits z. The log-softmax form never takes log of a rounded
    probability, so it stays finite for logits of any size.
    """
    logits, y_true = _as_float64(y_pred, y_true)
    max_logit = np.max(logits, axis=-1, keepdims=True)
    log_sum_exp = max_logit + np.log(
        np.sum(np.exp(logits - max_logit), axis=-1, keepdims=True)
    )
    log_softmax = logits - log_sum_exp
    return _reduce(-np.sum(y_true * log_softmax, axis=-1), reduction)


def sigmoid_cross_entropy_with_logits(y_pred, y_true, reduction="none"):
    r"""Binary cross-entropy of sigmoid(logits), the mean over the last axis of

    .. math:: \max(z, 0) - z\,t + \log(1 + e^{-|z|})

    which equals :math:`-[t \log\sigma(z) + (1-t)\log(1-\sigma(z))]` without overflow.
    """
    logits, y_true = _as_float64(y_pred, y_true)
    elementwise = (
        np.maximum(logits, 0.0) - logits * y_true + np.log1p(np.exp(-np.abs(logits)))
    )
    return _reduce(np.mean(elementwise, axis=-1), reduction)
