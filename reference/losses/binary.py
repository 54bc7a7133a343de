r"""Binary cross-entropy on probabilities or logits, plain or with a positive weight,
each with its derivative with respect to ``y_pred``.

Per sample, each is the mean over the last axis of the elementwise term, as
``keras.losses.binary_crossentropy`` computes it, then reduced as in
``reference.losses.reduction``. A ``*_vjp`` function takes
``(y_pred, cotangent, y_true, **params)``.

The guards that frameworks put around log(0) are keyword arguments, each off when
None; ``reference.registry`` names each combination a framework uses as a variant.
"""

import numpy as np

from reference.losses.reduction import floats, reduce_elements, reduce_elements_vjp

# torch's binary_cross_entropy_backward divides by max(p (1 - p), EPSILON), with
# "constexpr float EPSILON = 1e-12" (aten/src/ATen/native/Loss.cpp): a float32
# constant, 9.999999960041972e-13 in float64.
TORCH_BACKWARD_EPSILON = float(np.float32(1e-12))


def smooth_binary_labels(y_true, label_smoothing):
    """Return t (1 - ls) + ls / 2, the Keras binary label smoothing."""
    return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing


def clip_bounds(epsilon, clip_dtype):
    """Return (eps, 1 - eps), rounded to ``clip_dtype`` when given, as frameworks hold
    them: in float32 1 - 1e-7 rounds to 1 - 2**-23."""
    low, high = epsilon, 1.0 - epsilon
    if clip_dtype is not None:
        low = float(np.asarray(low, clip_dtype))
        high = float(np.asarray(high, clip_dtype))
    return low, high


def _times(weight, value):
    """Return weight * value with 0 * inf taken as 0, the limit a zero weight gives."""
    with np.errstate(invalid="ignore"):
        return np.where(weight == 0, 0.0, weight * value)


def _class_scaled(elementwise, class_weight):
    if class_weight is None:
        return elementwise
    return elementwise * np.asarray(class_weight, dtype=np.float64)


def _logits_term(z, t):
    # -[t log sigmoid(z) + (1 - t) log(1 - sigmoid(z))] = max(z, 0) - z t + log1p(e^-|z|),
    # split by the sign of z so that z = +-inf gives the limit, not inf - inf.
    linear = np.where(z >= 0, _times(1.0 - t, z), _times(t, -z))
    return linear + np.log1p(np.exp(-np.abs(z)))


def _sigmoid(z):
    with np.errstate(over="ignore"):
        e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _complement(p, shift, complement_dtype):
    """Return 1 - p + shift, with 1 - p rounded to ``complement_dtype`` when given."""
    if complement_dtype is None:
        return None
    return np.asarray(1.0 - p, complement_dtype).astype(np.float64) + shift


def _probability_logs(p, log_epsilon, log_floor, complement_dtype=None):
    shift = 0.0 if log_epsilon is None else log_epsilon
    complement = _complement(p, shift, complement_dtype)
    # log(1 - p) as log1p(-p): 1 - p itself rounds away most digits for tiny p,
    # unless the variant computes it that way.
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.log(p + shift)
        log_q = np.log1p(shift - p) if complement is None else np.log(complement)
    if log_floor is not None:
        log_p, log_q = np.maximum(log_p, log_floor), np.maximum(log_q, log_floor)
    return log_p, log_q


def _probability_term(p, t, log_epsilon, log_floor, complement_dtype=None):
    log_p, log_q = _probability_logs(p, log_epsilon, log_floor, complement_dtype)
    # A zero weight cancels an infinite log (0 log 0 = 0).
    with np.errstate(invalid="ignore"):
        positive = np.where(t == 0, 0.0, t * log_p)
        negative = np.where(t == 1, 0.0, (1.0 - t) * log_q)
    return -(positive + negative)


def binary_crossentropy(
    y_pred,
    y_true,
    from_logits=False,
    label_smoothing=0.0,
    clip_epsilon=None,
    log_epsilon=None,
    log_floor=None,
    clip_dtype=None,
    round_complement=False,
    class_weight=None,
    reduction="none",
    sample_weight=None,
    element_sum=False,
):
    r"""Binary cross-entropy :math:`-[t \log p + (1 - t) \log(1 - p)]`, 0 log 0 = 0.

    ``from_logits=True`` takes logits z with p = sigmoid(z), computed without overflow.
    ``label_smoothing`` ls replaces t by t (1 - ls) + ls / 2. The guards apply to
    probabilities only. ``clip_epsilon`` clips p to [eps, 1 - eps] first (Keras,
    1e-7). ``log_epsilon`` adds eps inside both logs (tf.keras 2.x, 1e-7).
    ``log_floor`` clamps both logs from below (torch, -100). ``clip_dtype`` rounds the
    clip bounds to that dtype. ``round_complement=True`` takes log(1 - p) with
    1 - p rounded to ``clip_dtype``, as Keras does, instead of log1p(-p).
    ``class_weight`` (one weight per position of the last axis) scales each term
    before the mean, as torch's ``weight`` argument does.
    """
    y_pred, y_true = floats(y_pred, y_true)
    t = smooth_binary_labels(y_true, label_smoothing)
    if from_logits:
        elementwise = _logits_term(y_pred, t)
    else:
        p = y_pred
        if clip_epsilon is not None:
            p = np.clip(p, *clip_bounds(clip_epsilon, clip_dtype))
        complement_dtype = clip_dtype if round_complement else None
        elementwise = _probability_term(p, t, log_epsilon, log_floor, complement_dtype)
    elementwise = _class_scaled(elementwise, class_weight)
    return reduce_elements(elementwise, reduction, sample_weight, element_sum)


def _probability_derivative(p, t, log_epsilon, log_floor, complement_dtype=None):
    shift = 0.0 if log_epsilon is None else log_epsilon
    complement = _complement(p, shift, complement_dtype)
    if complement is None:
        complement = 1.0 - p + shift
    with np.errstate(divide="ignore", invalid="ignore"):
        d_positive = np.where(t == 0, 0.0, -t / (p + shift))
        d_negative = np.where(t == 1, 0.0, (1.0 - t) / complement)
    if log_floor is not None:
        # A log clamped at its floor is constant, so it passes no gradient.
        log_p, log_q = _probability_logs(p, log_epsilon, None)
        d_positive = np.where(log_p < log_floor, 0.0, d_positive)
        d_negative = np.where(log_q < log_floor, 0.0, d_negative)
    return d_positive + d_negative


def binary_crossentropy_vjp(
    y_pred,
    cotangent,
    y_true,
    from_logits=False,
    label_smoothing=0.0,
    clip_epsilon=None,
    log_epsilon=None,
    log_floor=None,
    clip_dtype=None,
    round_complement=False,
    class_weight=None,
    reduction="none",
    sample_weight=None,
    element_sum=False,
):
    y_pred, y_true = floats(y_pred, y_true)
    t = smooth_binary_labels(y_true, label_smoothing)
    if from_logits:
        derivative = _sigmoid(y_pred) - t
    else:
        p, inside = y_pred, np.ones_like(y_pred, dtype=bool)
        if clip_epsilon is not None:
            low, high = clip_bounds(clip_epsilon, clip_dtype)
            # tf.clip_by_value passes the gradient where low <= p <= high.
            p, inside = np.clip(p, low, high), (p >= low) & (p <= high)
        complement_dtype = clip_dtype if round_complement else None
        derivative = _probability_derivative(
            p, t, log_epsilon, log_floor, complement_dtype
        )
        derivative = np.where(inside, derivative, 0.0)
    derivative = _class_scaled(derivative, class_weight)
    return reduce_elements_vjp(
        derivative, cotangent, reduction, sample_weight, element_sum
    )


def torch_binary_crossentropy_vjp(
    y_pred,
    cotangent,
    y_true,
    label_smoothing=0.0,
    class_weight=None,
    reduction="none",
    sample_weight=None,
    element_sum=True,
    **guards,
):
    """Return the derivative torch's backward computes, (p - t) / max(p (1 - p), 1e-12).

    It is not the derivative of the log-clamped forward: at p = 0 with t = 1 the forward
    is flat (log clamped at -100), but the backward returns -1e12.
    """
    del guards  # the forward's log floor does not enter torch's backward
    y_pred, y_true = floats(y_pred, y_true)
    t = smooth_binary_labels(y_true, label_smoothing)
    denominator = np.maximum(y_pred * (1.0 - y_pred), TORCH_BACKWARD_EPSILON)
    derivative = _class_scaled((y_pred - t) / denominator, class_weight)
    return reduce_elements_vjp(
        derivative, cotangent, reduction, sample_weight, element_sum
    )


def sigmoid_cross_entropy_with_logits(
    y_pred, y_true, reduction="none", element_sum=False
):
    r"""Binary cross-entropy of sigmoid(logits), the mean over the last axis of

    .. math:: \max(z, 0) - z\,t + \log(1 + e^{-|z|})

    which equals :math:`-[t \log\sigma(z) + (1-t)\log(1-\sigma(z))]` without overflow.
    """
    logits, y_true = floats(y_pred, y_true)
    return reduce_elements(
        _logits_term(logits, y_true), reduction, element_sum=element_sum
    )


def sigmoid_cross_entropy_with_logits_vjp(
    y_pred, cotangent, y_true, reduction="none", element_sum=False
):
    logits, y_true = floats(y_pred, y_true)
    derivative = _sigmoid(logits) - y_true
    return reduce_elements_vjp(
        derivative, cotangent, reduction, element_sum=element_sum
    )


def weighted_sigmoid_cross_entropy(
    y_pred, y_true, pos_weight=1.0, reduction="none", element_sum=False
):
    r"""Sigmoid cross-entropy with weight w on the positive term,
    :math:`-[w\,t \log\sigma(z) + (1 - t) \log(1 - \sigma(z))]`, computed as
    :math:`(1 - t) z + (1 + (w - 1) t) \log(1 + e^{-z})` without overflow."""
    logits, y_true = floats(y_pred, y_true)
    scale = 1.0 + (pos_weight - 1.0) * y_true
    # Split by the sign of z as in _logits_term: for z < 0, (1 - t) z + w' (-z) is
    # -w t z, with w' = 1 + (w - 1) t.
    linear = np.where(
        logits >= 0, _times(1.0 - y_true, logits), _times(pos_weight * y_true, -logits)
    )
    elementwise = linear + scale * np.log1p(np.exp(-np.abs(logits)))
    return reduce_elements(elementwise, reduction, element_sum=element_sum)


def weighted_sigmoid_cross_entropy_vjp(
    y_pred, cotangent, y_true, pos_weight=1.0, reduction="none", element_sum=False
):
    logits, y_true = floats(y_pred, y_true)
    scale = 1.0 + (pos_weight - 1.0) * y_true
    derivative = (1.0 - y_true) - scale * _sigmoid(-logits)
    return reduce_elements_vjp(
        derivative, cotangent, reduction, element_sum=element_sum
    )
