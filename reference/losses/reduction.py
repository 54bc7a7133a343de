"""Reductions of per-sample losses, and the chain rule back through them.

``reduction="none"`` returns one value per sample, ``"sum"`` their sum and ``"mean"``
their sum divided by the number of samples N, which is Keras' default
``"sum_over_batch_size"``. A ``sample_weight`` (one weight per sample) multiplies each
value first, so the weighted mean is still divided by N, not by the sum of weights.

The framework-specific forms are keyword options. ``sum_scale`` multiplies "sum":
torch sums all N * k elements of an elementwise loss, k times the sum of per-sample
means. ``mean_count`` replaces N as the divisor of "mean", since torch's kl_div divides
by N * k. ``weight_total`` divides "mean" by the total weight, as torch's cross-entropy
with class weights does.
"""

import numpy as np

REDUCTIONS = ("none", "sum", "mean")


def floats(*arrays):
    """Return the arrays as float64 numpy arrays."""
    return [np.asarray(a, dtype=np.float64) for a in arrays]


def check_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"reduction={reduction!r} is not supported; use one of {REDUCTIONS}"
        )


def _factor(count, reduction, sum_scale, mean_count, weight_total):
    """Return the factor the reduced value puts on each per-sample value, or None."""
    if reduction == "none":
        return None
    if reduction == "sum":
        return float(sum_scale)
    if weight_total is not None:
        return 1.0 / float(weight_total)
    return 1.0 / float(count if mean_count is None else mean_count)


def reduce(
    per_sample,
    reduction,
    sample_weight=None,
    sum_scale=1.0,
    mean_count=None,
    weight_total=None,
):
    """Reduce the per-sample values (shape: the batch shape)."""
    check_reduction(reduction)
    per_sample = np.asarray(per_sample, dtype=np.float64)
    if sample_weight is not None:
        per_sample = per_sample * np.asarray(sample_weight, dtype=np.float64)
    factor = _factor(per_sample.size, reduction, sum_scale, mean_count, weight_total)
    if factor is None:
        return per_sample
    return np.sum(per_sample) * factor


def reduce_vjp(
    cotangent,
    batch_shape,
    reduction,
    sample_weight=None,
    sum_scale=1.0,
    mean_count=None,
    weight_total=None,
):
    """Return d(reduced) / d(per-sample value) times the cotangent, shaped like the batch."""
    check_reduction(reduction)
    count = int(np.prod(batch_shape))
    cotangent = np.asarray(cotangent, dtype=np.float64)
    factor = _factor(count, reduction, sum_scale, mean_count, weight_total)
    if factor is None:
        gradient = np.broadcast_to(cotangent, batch_shape).astype(np.float64)
    else:
        gradient = np.full(batch_shape, float(cotangent) * factor)
    if sample_weight is not None:
        gradient = gradient * np.asarray(sample_weight, dtype=np.float64)
    return gradient


def reduce_elements(elementwise, reduction, sample_weight=None, element_sum=False):
    """Reduce an elementwise loss whose per-sample value is the mean over the last axis.

    ``element_sum=True`` is torch's "sum" over all elements.
    """
    elementwise = np.asarray(elementwise, dtype=np.float64)
    scale = elementwise.shape[-1] if element_sum else 1.0
    return reduce(np.mean(elementwise, axis=-1), reduction, sample_weight, scale)


def reduce_elements_vjp(
    derivative, cotangent, reduction, sample_weight=None, element_sum=False
):
    """Chain ``derivative`` (d element / d y_pred) through reduce_elements."""
    derivative = np.asarray(derivative, dtype=np.float64)
    elements = derivative.shape[-1]
    scale = elements if element_sum else 1.0
    per_sample = reduce_vjp(
        cotangent, derivative.shape[:-1], reduction, sample_weight, scale
    )
    return per_sample[..., np.newaxis] * derivative / elements
