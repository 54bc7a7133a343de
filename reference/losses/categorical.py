r"""Cross-entropies over classes: on probabilities, on logits, with one-hot or soft
labels or integer labels, and the negative log-likelihood, each with its derivative
with respect to ``y_pred``.

Per sample, each is the sum over the class axis (``axis``, the last by default), then
reduced as in ``reference.losses.reduction``. A ``*_vjp`` function takes
``(y_pred, cotangent, y_true, **params)``. Integer labels outside [0, k) have no value:
the reference returns NaN for that sample, and each framework's own behaviour is
recorded by the tests.
"""

import numpy as np
from scipy.special import xlogy

from reference.losses.binary import clip_bounds
from reference.losses.reduction import floats, reduce, reduce_vjp


def _log_softmax(z):
    """Return log softmax over the last axis, max-shifted.

    A row with n logits of +inf gets its limit: -log(n) at those and -inf elsewhere.
    """
    with np.errstate(invalid="ignore"):
        shifted = z - np.max(z, axis=-1, keepdims=True)
        result = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    infinite = z == np.inf
    count = np.sum(infinite, axis=-1, keepdims=True)
    has_nan = np.any(np.isnan(z), axis=-1, keepdims=True)
    with np.errstate(divide="ignore"):
        limit = np.where(infinite, -np.log(np.maximum(count, 1)), -np.inf)
    return np.where((count > 0) & ~has_nan, limit, result)


def smooth_categorical_labels(y_true, label_smoothing):
    """Return t (1 - ls) + ls / k, the Keras, torch and optax categorical smoothing."""
    return y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]


def cross_entropy_delta(y_pred, y_true, delta=1e-7, reduction="none"):
    r"""Textbook cross-entropy :math:`E = -\sum_k t_k \log(y_k + \delta)`, delta = 1e-7.

    The delta keeps log(0) finite (Saito, "Deep Learning from Scratch", 2016, 4.2.2).
    """
    y_pred, y_true = floats(y_pred, y_true)
    return reduce(-np.sum(y_true * np.log(y_pred + delta), axis=-1), reduction)


def _normalized(p):
    """Return (p / S, the chain rule back through it), S the sum of each row."""
    total = np.sum(p, axis=-1, keepdims=True)

    def back(gradient):
        # q_i = p_i / S: dL/dp_j = g_j / S - sum_i g_i p_i / S^2.
        return (
            gradient / total - np.sum(gradient * p, axis=-1, keepdims=True) / total**2
        )

    return p / total, back


def _clipped(p, clip_epsilon, clip_dtype):
    """Return (p clipped to [eps, 1 - eps], the chain rule back through the clip)."""
    if clip_epsilon is None:
        return p, lambda gradient: gradient
    low, high = clip_bounds(clip_epsilon, clip_dtype)
    # tf.clip_by_value passes the gradient where low <= p <= high.
    inside = (p >= low) & (p <= high)
    return np.clip(p, low, high), lambda gradient: np.where(inside, gradient, 0.0)


def _guarded_probabilities(p, normalize, clip_epsilon, clip_dtype, clip_first=False):
    """Return (q, back), q the guarded probabilities and back(g) the chain rule to p.

    Keras' categorical cross-entropy normalizes each row and then clips; its sparse one
    clips and then normalizes (``clip_first=True``).
    """
    identity = (p, lambda gradient: gradient)
    if clip_first:
        clipped, clip_back = _clipped(p, clip_epsilon, clip_dtype)
        q, norm_back = _normalized(clipped) if normalize else (clipped, identity[1])
        return q, lambda gradient: clip_back(norm_back(gradient))
    normalized, norm_back = _normalized(p) if normalize else identity
    q, clip_back = _clipped(normalized, clip_epsilon, clip_dtype)
    return q, lambda gradient: norm_back(clip_back(gradient))


def _class_scaled(t, class_weight):
    """Return t with each class's column scaled by its weight (the class axis last)."""
    if class_weight is None:
        return t
    return t * np.asarray(class_weight, dtype=np.float64)


def categorical_crossentropy(
    y_pred,
    y_true,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
    class_weight=None,
    clip_epsilon=None,
    normalize=False,
    clip_dtype=None,
    reduction="none",
    sample_weight=None,
):
    r"""Categorical cross-entropy :math:`-\sum_k t_k \log p_k`, 0 log 0 = 0.

    ``from_logits=True`` takes logits with p = softmax(z). ``label_smoothing`` ls
    replaces t by t (1 - ls) + ls / k, and ``class_weight`` c by c_k t_k, as torch's
    cross_entropy with probability targets does ("mean" still divides by N). For
    probabilities, ``normalize=True`` divides
    each row by its sum and ``clip_epsilon`` then clips to [eps, 1 - eps], with the
    bounds rounded to ``clip_dtype`` when given: Keras does both, eps = 1e-7.
    """
    y_pred, y_true = floats(y_pred, y_true)
    y_pred, y_true = np.moveaxis(y_pred, axis, -1), np.moveaxis(y_true, axis, -1)
    t = _class_scaled(smooth_categorical_labels(y_true, label_smoothing), class_weight)
    if from_logits:
        per_sample = -np.sum(t * _log_softmax(y_pred), axis=-1)
    else:
        q, _ = _guarded_probabilities(y_pred, normalize, clip_epsilon, clip_dtype)
        with np.errstate(divide="ignore"):
            per_sample = -np.sum(xlogy(t, q), axis=-1)
    return reduce(per_sample, reduction, sample_weight)


def categorical_crossentropy_vjp(
    y_pred,
    cotangent,
    y_true,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
    class_weight=None,
    clip_epsilon=None,
    normalize=False,
    clip_dtype=None,
    reduction="none",
    sample_weight=None,
):
    y_pred, y_true = floats(y_pred, y_true)
    y_pred, y_true = np.moveaxis(y_pred, axis, -1), np.moveaxis(y_true, axis, -1)
    t = _class_scaled(smooth_categorical_labels(y_true, label_smoothing), class_weight)
    if from_logits:
        softmax = np.exp(_log_softmax(y_pred))
        derivative = softmax * np.sum(t, axis=-1, keepdims=True) - t
    else:
        q, back = _guarded_probabilities(y_pred, normalize, clip_epsilon, clip_dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            derivative = back(np.where(t == 0, 0.0, -t / q))
    per_sample = reduce_vjp(cotangent, y_pred.shape[:-1], reduction, sample_weight)
    return np.moveaxis(per_sample[..., np.newaxis] * derivative, -1, axis)


def softmax_cross_entropy_with_logits(y_pred, y_true, axis=-1, reduction="none"):
    r"""Cross-entropy of softmax(logits): :math:`-\sum_k t_k (z_k - \mathrm{logsumexp}(z))`.

    The log-softmax form never takes log of a rounded probability, so it stays finite
    for logits of any size.
    """
    return categorical_crossentropy(
        y_pred, y_true, from_logits=True, axis=axis, reduction=reduction
    )


def softmax_cross_entropy_with_logits_vjp(
    y_pred, cotangent, y_true, axis=-1, reduction="none"
):
    return categorical_crossentropy_vjp(
        y_pred, cotangent, y_true, from_logits=True, axis=axis, reduction=reduction
    )


def _one_hot(labels, classes):
    """Return the one-hot rows of integer labels, and a mask of the labels in range."""
    labels = np.asarray(labels)
    valid = (labels >= 0) & (labels < classes)
    rows = np.eye(classes)[np.where(valid, labels, 0)]
    return np.where(valid[..., np.newaxis], rows, 0.0), valid


def _label_weights(labels, valid, class_weight):
    if class_weight is None:
        return np.ones(np.shape(labels))
    class_weight = np.asarray(class_weight, dtype=np.float64)
    return np.where(valid, class_weight[np.where(valid, labels, 0)], 0.0)


def _weight_total(labels, valid, class_weight, weight_total):
    """Return the sum of c[label] that torch's "mean" divides by, or None for N."""
    if class_weight is None or not weight_total:
        return None
    return float(np.sum(_label_weights(labels, valid, class_weight)))


def sparse_categorical_crossentropy(
    y_pred,
    y_true,
    from_logits=False,
    axis=-1,
    class_weight=None,
    label_smoothing=0.0,
    clip_epsilon=None,
    normalize=False,
    clip_first=False,
    clip_dtype=None,
    weight_total=False,
    reduction="none",
    sample_weight=None,
):
    r"""Cross-entropy with integer labels: :math:`-\log p_y` (probabilities) or
    :math:`-\log \mathrm{softmax}(z)_y` (logits).

    ``label_smoothing`` ls spreads the one-hot label as t = (1 - ls) onehot + ls / k,
    and ``class_weight`` c weighs each class: the sample's loss is -sum_k c_k t_k
    log p_k, which is c[label] (-log p_label) without smoothing, as in torch.
    ``weight_total=True`` then divides "mean" by the sum of c[label] over the samples
    instead of N, as torch does. The guards are those of categorical_crossentropy;
    ``clip_first=True`` clips before normalizing.
    """
    (y_pred,) = floats(y_pred)
    y_pred = np.moveaxis(y_pred, axis, -1)
    one_hot, valid = _one_hot(y_true, y_pred.shape[-1])
    if from_logits:
        log_p = _log_softmax(y_pred)
    else:
        q, _ = _guarded_probabilities(
            y_pred, normalize, clip_epsilon, clip_dtype, clip_first
        )
        with np.errstate(divide="ignore"):
            log_p = np.log(q)
    target = _class_scaled(
        smooth_categorical_labels(one_hot, label_smoothing), class_weight
    )
    with np.errstate(invalid="ignore"):
        per_sample = -np.sum(np.where(target == 0, 0.0, target * log_p), axis=-1)
    per_sample = np.where(valid, per_sample, np.nan)
    total = _weight_total(y_true, valid, class_weight, weight_total)
    return reduce(per_sample, reduction, sample_weight, weight_total=total)


def sparse_categorical_crossentropy_vjp(
    y_pred,
    cotangent,
    y_true,
    from_logits=False,
    axis=-1,
    class_weight=None,
    label_smoothing=0.0,
    clip_epsilon=None,
    normalize=False,
    clip_first=False,
    clip_dtype=None,
    weight_total=False,
    reduction="none",
    sample_weight=None,
):
    (y_pred,) = floats(y_pred)
    y_pred = np.moveaxis(y_pred, axis, -1)
    one_hot, valid = _one_hot(y_true, y_pred.shape[-1])
    target = _class_scaled(
        smooth_categorical_labels(one_hot, label_smoothing), class_weight
    )
    if from_logits:
        softmax = np.exp(_log_softmax(y_pred))
        derivative = softmax * np.sum(target, axis=-1, keepdims=True) - target
    else:
        q, back = _guarded_probabilities(
            y_pred, normalize, clip_epsilon, clip_dtype, clip_first
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            derivative = back(np.where(target == 0, 0.0, -target / q))
    total = _weight_total(y_true, valid, class_weight, weight_total)
    per_sample = reduce_vjp(
        cotangent, y_pred.shape[:-1], reduction, sample_weight, weight_total=total
    )
    return np.moveaxis(per_sample[..., np.newaxis] * derivative, -1, axis)


def nll_loss(y_pred, y_true, class_weight=None, weight_total=False, reduction="none"):
    r"""Negative log-likelihood of integer labels given log-probabilities:
    :math:`-c_{\mathrm{label}} y_{\mathrm{label}}` per sample, the class axis last,
    with c the class weights (1 without them)."""
    (log_p,) = floats(y_pred)
    one_hot, valid = _one_hot(y_true, log_p.shape[-1])
    target = _class_scaled(one_hot, class_weight)
    with np.errstate(invalid="ignore"):
        picked = np.sum(np.where(target == 0, 0.0, target * log_p), axis=-1)
    per_sample = np.where(valid, -picked, np.nan)
    total = _weight_total(y_true, valid, class_weight, weight_total)
    return reduce(per_sample, reduction, weight_total=total)


def nll_loss_vjp(
    y_pred, cotangent, y_true, class_weight=None, weight_total=False, reduction="none"
):
    (log_p,) = floats(y_pred)
    one_hot, valid = _one_hot(y_true, log_p.shape[-1])
    target = _class_scaled(one_hot, class_weight)
    total = _weight_total(y_true, valid, class_weight, weight_total)
    per_sample = reduce_vjp(cotangent, log_p.shape[:-1], reduction, weight_total=total)
    return -per_sample[..., np.newaxis] * target
