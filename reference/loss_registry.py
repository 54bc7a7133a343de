"""The losses of the registry, with the variants that frameworks follow."""

from functools import partial

from reference import losses
from reference.functions import EXACT, ReferenceFunction, Variant

KERAS_EPSILON = 1e-7  # keras.config.epsilon() default, Keras 2 and 3
TORCH_LOG_FLOOR = -100.0  # torch.nn.BCELoss docs: log outputs clamped to >= -100
TORCH_POISSON_EPSILON = 1e-8  # torch.nn.functional.poisson_nll_loss eps default
# Keras 3's normalize multiplies by min(rsqrt(sum of squares), 1 / epsilon), so each
# norm is at least epsilon = 1e-7 (keras/src/ops/nn.py _normalize).
KERAS_NORM_FLOOR = KERAS_EPSILON
TORCH_NORM_FLOOR = 1e-8  # torch.nn.functional.cosine_similarity eps default

_TORCH_ELEMENT_SUM_SOURCE = (
    "torch.nn docs, reduction='sum': 'the output will be summed', over every element"
)
_TORCH_ELEMENT_SUM = (
    "reduction 'sum' adds all N * k elements, k times the sum of per-sample means; "
    "'mean' and 'none' are the exact ones"
)


def _loss(name, forward, vjp, source, extra_variants=None, inputs=("y_pred", "y_true")):
    variants = {EXACT: Variant(forward, source, "the mathematical definition", vjp)}
    variants.update(extra_variants or {})
    return ReferenceFunction(name, "loss", inputs, variants)


def _with(forward, vjp, source, description, takes_dtype=False, **fixed):
    """Return the variant that fixes some keyword arguments of forward and vjp."""
    return Variant(
        partial(forward, **fixed),
        source,
        description,
        partial(vjp, **fixed),
        takes_dtype=takes_dtype,
    )


def _torch_element_sum(forward, vjp):
    return {
        "torch_element_sum": _with(
            forward,
            vjp,
            _TORCH_ELEMENT_SUM_SOURCE,
            _TORCH_ELEMENT_SUM,
            element_sum=True,
        )
    }


def _torch_binary_crossentropy_vjp(y_pred, cotangent, y_true, **params):
    if params.get("from_logits"):
        return losses.binary_crossentropy_vjp(y_pred, cotangent, y_true, **params)
    return losses.torch_binary_crossentropy_vjp(y_pred, cotangent, y_true, **params)


def _binary_crossentropy():
    forward, vjp = losses.binary_crossentropy, losses.binary_crossentropy_vjp
    return _loss(
        "binary_crossentropy",
        forward,
        vjp,
        "-[t log p + (1 - t) log(1 - p)], 0 log 0 = 0; Keras label smoothing",
        {
            "keras_clip": _with(
                forward,
                vjp,
                "Keras 3 keras/src/backend/tensorflow/nn.py binary_crossentropy: "
                "target * log(output) + (1 - target) * log(1 - output)",
                "p clipped to [1e-7, 1 - 1e-7] (bounds in the input dtype), then "
                "-[t log p + (1 - t) log(1 - p)] with 1 - p rounded to the dtype; no "
                "gradient where p is outside the bounds",
                takes_dtype=True,
                clip_epsilon=KERAS_EPSILON,
                round_complement=True,
            ),
            "tf_keras2_clip_log_epsilon": _with(
                forward,
                vjp,
                "tf.keras 2.x tensorflow/python/keras/backend.py binary_crossentropy; "
                "formula printed in the TF 2.0 tf.keras.metrics.BinaryCrossentropy docs",
                "p clipped to [1e-7, 1 - 1e-7] (bounds in the input dtype), and 1e-7 "
                "added inside both logs",
                takes_dtype=True,
                clip_epsilon=KERAS_EPSILON,
                log_epsilon=KERAS_EPSILON,
            ),
            "torch_log_floor": Variant(
                partial(forward, log_floor=TORCH_LOG_FLOOR, element_sum=True),
                "torch.nn.BCELoss docs: 'clamps its log function outputs to be "
                "greater than or equal to -100'; backward in "
                "aten/src/ATen/native/Loss.cpp binary_cross_entropy_backward",
                "each log clamped to >= -100, so p = 0 or 1 costs at most 100; the "
                "gradient is (p - t) / max(p (1 - p), 1e-12); 'sum' adds all elements",
                partial(_torch_binary_crossentropy_vjp, element_sum=True),
            ),
        },
    )


def _categorical_crossentropy():
    forward, vjp = losses.categorical_crossentropy, losses.categorical_crossentropy_vjp
    return _loss(
        "categorical_crossentropy",
        forward,
        vjp,
        "-sum_k t_k log p_k, 0 log 0 = 0; label smoothing t (1 - ls) + ls / k",
        {
            "keras_normalize_clip": _with(
                forward,
                vjp,
                "Keras 3 keras/src/backend/tensorflow/nn.py categorical_crossentropy",
                "each row divided by its sum, then clipped to [1e-7, 1 - 1e-7] (bounds "
                "in the input dtype)",
                takes_dtype=True,
                normalize=True,
                clip_epsilon=KERAS_EPSILON,
            ),
        },
    )


def _sparse_categorical_crossentropy():
    forward = losses.sparse_categorical_crossentropy
    vjp = losses.sparse_categorical_crossentropy_vjp
    return _loss(
        "sparse_categorical_crossentropy",
        forward,
        vjp,
        "-log p[label] or -log softmax(z)[label]; class weights scale each sample",
        {
            "keras_clip_then_normalize": _with(
                forward,
                vjp,
                "keras/src/backend/tensorflow/nn.py sparse_categorical_crossentropy: "
                "log(clip(p)) passed to tf.nn.sparse_softmax_cross_entropy_with_logits",
                "p clipped to [1e-7, 1 - 1e-7] (bounds in the input dtype), then each "
                "row divided by its sum: -log(clip(p_y) / sum_j clip(p_j))",
                takes_dtype=True,
                clip_epsilon=KERAS_EPSILON,
                normalize=True,
                clip_first=True,
            ),
            "torch_weight_total": _with(
                forward,
                vjp,
                "torch.nn.CrossEntropyLoss docs: with reduction='mean' and a weight, "
                "the sum is divided by the sum of the weights of the targets",
                "'mean' divides by the total class weight of the labels, not by N",
                weight_total=True,
            ),
        },
    )


LOSS_FUNCTIONS = [
    _loss(
        "mse_half_sum",
        losses.mse_half_sum,
        losses.mse_half_sum_vjp,
        "Saito, Deep Learning from Scratch, 2016, 4.2.1",
    ),
    _loss(
        "mse_mean",
        losses.mse_mean,
        losses.mse_mean_vjp,
        "keras.losses.mean_squared_error docs",
        _torch_element_sum(losses.mse_mean, losses.mse_mean_vjp),
    ),
    _loss(
        "mean_absolute_error",
        losses.mean_absolute_error,
        losses.mean_absolute_error_vjp,
        "keras.losses.mean_absolute_error docs",
        _torch_element_sum(losses.mean_absolute_error, losses.mean_absolute_error_vjp),
    ),
    _loss(
        "huber",
        losses.huber,
        losses.huber_vjp,
        "Huber, Ann. Math. Statist. 35(1), 1964; keras.losses.Huber docs",
        _torch_element_sum(losses.huber, losses.huber_vjp),
    ),
    _loss(
        "smooth_l1",
        losses.smooth_l1,
        losses.smooth_l1_vjp,
        "torch.nn.SmoothL1Loss docs (Girshick, Fast R-CNN, 2015)",
        _torch_element_sum(losses.smooth_l1, losses.smooth_l1_vjp),
    ),
    _loss(
        "log_cosh",
        losses.log_cosh,
        losses.log_cosh_vjp,
        "keras.losses.log_cosh docs",
    ),
    _loss(
        "poisson",
        losses.poisson,
        losses.poisson_vjp,
        "Poisson negative log-likelihood without log(t!)",
        {
            "keras_log_epsilon": _with(
                losses.poisson,
                losses.poisson_vjp,
                "keras/src/losses/losses.py poisson: y_pred - y_true * log(y_pred + "
                "epsilon)",
                "1e-7 added inside the log",
                log_epsilon=KERAS_EPSILON,
            ),
            "torch_log_epsilon": _with(
                losses.poisson,
                losses.poisson_vjp,
                "torch.nn.PoissonNLLLoss docs: input - target * log(input + eps), "
                "eps = 1e-8, when log_input=False; 'sum' adds all elements",
                "1e-8 added inside the log; reduction 'sum' adds all elements",
                log_epsilon=TORCH_POISSON_EPSILON,
                element_sum=True,
            ),
        },
    ),
    _loss(
        "hinge",
        losses.hinge,
        losses.hinge_vjp,
        "max(0, 1 - t y), labels in {-1, 1}",
        {
            "keras_binary_labels": _with(
                losses.hinge,
                losses.hinge_vjp,
                "keras.losses.hinge docs: binary (0 or 1) labels are converted to -1 "
                "or 1; tensorflow/python/ops/math_grad.py _MaximumGrad (x >= y)",
                "labels that are all 0 or 1 become -1 and 1 first; at the margin the "
                "derivative is -t, the gradient of maximum going to 1 - t y",
                convert_binary_labels=True,
                margin_share=1.0,
            ),
            "split_at_margin": _with(
                losses.hinge,
                losses.hinge_vjp,
                "optax/losses/_classification.py hinge_loss: jnp.maximum(0, 1 - t y), "
                "whose derivative jax splits evenly on a tie",
                "at the margin the derivative is -t / 2",
                margin_share=0.5,
            ),
        },
    ),
    _loss(
        "squared_hinge",
        losses.squared_hinge,
        losses.squared_hinge_vjp,
        "max(0, 1 - t y)^2, labels in {-1, 1}",
        {
            "keras_binary_labels": _with(
                losses.squared_hinge,
                losses.squared_hinge_vjp,
                "keras.losses.squared_hinge docs: binary (0 or 1) labels are "
                "converted to -1 or 1",
                "labels that are all 0 or 1 become -1 and 1 first",
                convert_binary_labels=True,
            ),
        },
    ),
    _loss(
        "cross_entropy_delta",
        losses.cross_entropy_delta,
        None,
        "Saito, Deep Learning from Scratch, 2016, 4.2.2 (delta = 1e-7)",
    ),
    _binary_crossentropy(),
    _loss(
        "sigmoid_cross_entropy_with_logits",
        losses.sigmoid_cross_entropy_with_logits,
        losses.sigmoid_cross_entropy_with_logits_vjp,
        "tf.nn.sigmoid_cross_entropy_with_logits docs",
        _torch_element_sum(
            losses.sigmoid_cross_entropy_with_logits,
            losses.sigmoid_cross_entropy_with_logits_vjp,
        ),
    ),
    _loss(
        "weighted_sigmoid_cross_entropy",
        losses.weighted_sigmoid_cross_entropy,
        losses.weighted_sigmoid_cross_entropy_vjp,
        "tf.nn.weighted_cross_entropy_with_logits docs",
        _torch_element_sum(
            losses.weighted_sigmoid_cross_entropy,
            losses.weighted_sigmoid_cross_entropy_vjp,
        ),
    ),
    _categorical_crossentropy(),
    _loss(
        "softmax_cross_entropy_with_logits",
        losses.softmax_cross_entropy_with_logits,
        losses.softmax_cross_entropy_with_logits_vjp,
        "tf.nn.softmax_cross_entropy_with_logits docs",
    ),
    _sparse_categorical_crossentropy(),
    _loss(
        "nll_loss",
        losses.nll_loss,
        losses.nll_loss_vjp,
        "-log p[label] given log-probabilities",
        {
            "torch_weight_total": _with(
                losses.nll_loss,
                losses.nll_loss_vjp,
                "torch.nn.NLLLoss docs: with reduction='mean' the sum is divided by "
                "the sum of the weights of the targets",
                "'mean' divides by the total class weight of the labels, not by N",
                weight_total=True,
            ),
        },
    ),
    _loss(
        "kl_divergence",
        losses.kl_divergence,
        losses.kl_divergence_vjp,
        "Kullback and Leibler, 1951; keras.losses.kl_divergence argument order",
        {
            "keras_clip": _with(
                losses.kl_divergence,
                losses.kl_divergence_vjp,
                "keras/src/losses/losses.py kl_divergence: both arguments clipped to "
                "[epsilon, 1]",
                "p and q clipped to [1e-7, 1] (bound in the input dtype)",
                takes_dtype=True,
                clip_epsilon=KERAS_EPSILON,
            ),
        },
    ),
    _loss(
        "kl_divergence_log_input",
        losses.kl_divergence_log_input,
        losses.kl_divergence_log_input_vjp,
        "sum p (log p - log q) with log q given; torch.nn.KLDivLoss argument order",
        {
            "torch_element_mean": _with(
                losses.kl_divergence_log_input,
                losses.kl_divergence_log_input_vjp,
                "torch.nn.KLDivLoss docs: reduction='mean' divides by every element; "
                "'batchmean' gives the divergence",
                "'mean' divides by N * k, so it is the divergence divided by k",
                element_mean=True,
            ),
        },
    ),
    _loss(
        "two_output_loss",
        losses.two_output_loss,
        losses.two_output_loss_vjp,
        "keras.Model.compile docs: with several outputs the loss minimized is the "
        "sum of the outputs' losses weighted by loss_weights",
    ),
    _loss(
        "cosine_similarity",
        losses.cosine_similarity,
        losses.cosine_similarity_vjp,
        "sum(y t) / (|y| |t|)",
        {
            "keras_negated": _with(
                losses.cosine_similarity,
                losses.cosine_similarity_vjp,
                "keras.losses.cosine_similarity docs: 'the negative of the cosine "
                "similarity'; keras/src/ops/nn.py _normalize floors each norm",
                "the negative, each norm at least 1e-7",
                negate=True,
                norm_floor=KERAS_NORM_FLOOR,
            ),
            "torch_norm_floor": _with(
                losses.cosine_similarity,
                losses.cosine_similarity_vjp,
                "torch.nn.functional.cosine_similarity docs: x1 / max(||x1||, eps) . "
                "x2 / max(||x2||, eps), eps = 1e-8",
                "each norm at least 1e-8, so a zero vector gives 0, not NaN; the "
                "clamp is not differentiated",
                norm_floor=TORCH_NORM_FLOOR,
                floor_gradient="torch",
            ),
        },
    ),
]
