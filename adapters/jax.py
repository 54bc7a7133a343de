"""JAX: jax.nn and jax.numpy for activations, optax for losses."""

import jax

# float64 arrays need x64 mode; every input here passes its dtype explicitly.
jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402

try:
    import optax
except ModuleNotFoundError:  # only the losses need optax; the activations run without
    optax = None

from adapters.spec import NO_DEFAULT, Op, activation  # noqa: E402

NAME = "jax"
DTYPES = ("float16", "bfloat16", "float32", "float64")


def version():
    optax_version = "not installed" if optax is None else optax.__version__
    return f"{jax.__version__} (optax {optax_version})"


def _device(device):
    platform = {"cpu": "cpu", "gpu": "gpu"}[device]
    return jax.devices(platform)[0]


def device_unavailable_reason(device):
    try:
        _device(device)
    except RuntimeError as error:
        return f"jax.devices({device!r}) failed: {error}"
    return None


def to_tensor(array, dtype, device):
    return jax.device_put(jnp.asarray(array, dtype=dtype), _device(device))


def to_numpy(tensor):
    return jax.device_get(tensor)


def vjp(forward, x, v, **params):
    _, pullback = jax.vjp(lambda x: forward(x, **params), x)
    (gradient,) = pullback(v)
    return gradient


def synchronize(tensor):
    return tensor.block_until_ready()


_REDUCTIONS = {"none": lambda per_sample: per_sample, "sum": jnp.sum, "mean": jnp.mean}


def _reduce(per_sample, reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"reduction={reduction!r} is not supported. Use one of {list(_REDUCTIONS)}."
        )
    return _REDUCTIONS[reduction](per_sample)


def _optax_loss(api, function, defaults=None, last_axis=None, rejects=None):
    """Build the Op for an optax loss called as ``function(y_pred, y_true, **params)``.

    optax has no reductions and returns one value per sample, or per element for the
    elementwise losses, which ``last_axis`` (jnp.mean or jnp.sum) turns into one value
    per sample. The reduction is then jnp's, "none" unless the case passes one.
    """

    def forward(y_pred, y_true, reduction="none", **params):
        values = function(y_pred, y_true, **params)
        per_sample = values if last_axis is None else last_axis(values, axis=-1)
        return _reduce(per_sample, reduction)

    defaults = {"reduction": "none", **(defaults or {})}
    return Op(api, forward, defaults=defaults, rejects=rejects)


_LOGITS_ONLY = "optax's cross-entropies take logits only"


def _reject_probabilities(params):
    if params.get("from_logits", True):
        return None
    # The harness shows this after "takes no".
    return f"probabilities (from_logits=False) because {_LOGITS_ONLY}"


def _logits_only(function):
    """Wrap an optax cross-entropy on logits to accept the canonical from_logits."""

    def call(logits, labels, from_logits=True, **params):
        if not from_logits:
            raise ValueError(
                f"from_logits={from_logits!r} is not supported because {_LOGITS_ONLY}. "
                "Pass logits with from_logits=True."
            )
        return function(logits, labels, **params)

    return call


def _categorical_crossentropy(logits, labels, label_smoothing=None, **axis):
    # Both calls take the case's axis when it passes one, and default to -1 otherwise.
    if label_smoothing is not None:
        labels = optax.smooth_labels(labels, label_smoothing, **axis)
    return optax.losses.softmax_cross_entropy(logits, labels, **axis)


def _kl_divergence(log_predictions, targets, log_target=False):
    if log_target:
        return optax.losses.kl_divergence_with_log_targets(log_predictions, targets)
    return optax.losses.kl_divergence(log_predictions, targets)


def _two_output_loss(y_pred, y_true, loss_weights):
    # optax has no multi-output loss: a training step adds the weighted batch means.
    regression = optax.losses.squared_error(y_pred[0], y_true[0]).mean()
    binary = optax.losses.sigmoid_binary_cross_entropy(y_pred[1], y_true[1]).mean()
    return loss_weights[0] * regression + loss_weights[1] * binary


FUNCTIONS = {
    "elu": activation("jax.nn.elu", jax.nn.elu, {"alpha": 1.0}),
    "relu": activation("jax.nn.relu", jax.nn.relu),
    "leaky_relu": activation(
        "jax.nn.leaky_relu", jax.nn.leaky_relu, {"negative_slope": 0.01}
    ),
    "sigmoid": activation("jax.nn.sigmoid", jax.nn.sigmoid),
    # jax.nn exports no tanh.
    "tanh": activation("jax.numpy.tanh", jnp.tanh),
    "softmax": activation("jax.nn.softmax", jax.nn.softmax, {"axis": -1}),
    "relu6": activation("jax.nn.relu6", jax.nn.relu6),
    "selu": activation("jax.nn.selu", jax.nn.selu),
    "celu": activation("jax.nn.celu", jax.nn.celu, {"alpha": 1.0}),
    "gelu": activation(
        "jax.nn.gelu",
        jax.nn.gelu,
        {"approximate": "tanh"},
        converters={"approximate": lambda form: form == "tanh"},
    ),
    "hard_sigmoid": activation("jax.nn.hard_sigmoid", jax.nn.hard_sigmoid),
    "log_sigmoid": activation("jax.nn.log_sigmoid", jax.nn.log_sigmoid),
    "hard_tanh": activation("jax.nn.hard_tanh", jax.nn.hard_tanh),
    "softplus": activation("jax.nn.softplus", jax.nn.softplus),
    "softsign": activation("jax.nn.soft_sign", jax.nn.soft_sign),
    "silu": activation("jax.nn.silu", jax.nn.silu),
    "mish": activation("jax.nn.mish", jax.nn.mish),
    "hard_swish": activation("jax.nn.hard_swish", jax.nn.hard_swish),
    "log_softmax": activation("jax.nn.log_softmax", jax.nn.log_softmax, {"axis": -1}),
    "glu": activation("jax.nn.glu", jax.nn.glu, {"axis": -1}),
}
if optax is not None:
    FUNCTIONS.update(
        {
            "mse_half_sum": _optax_loss(
                "optax.losses.l2_loss(...).sum(-1)",
                optax.losses.l2_loss,
                last_axis=jnp.sum,
            ),
            "mse_mean": _optax_loss(
                "optax.losses.squared_error(...).mean(-1)",
                optax.losses.squared_error,
                last_axis=jnp.mean,
            ),
            "huber": _optax_loss(
                "optax.losses.huber_loss(...).mean(-1)",
                optax.losses.huber_loss,
                {"delta": 1.0},
                last_axis=jnp.mean,
            ),
            "log_cosh": _optax_loss(
                "optax.losses.log_cosh(...).mean(-1)",
                optax.losses.log_cosh,
                last_axis=jnp.mean,
            ),
            # optax uses the labels as given, so it does not map {0, 1} to {-1, 1}.
            "hinge": _optax_loss(
                "optax.losses.hinge_loss(...).mean(-1)",
                optax.losses.hinge_loss,
                last_axis=jnp.mean,
            ),
            # optax's entry points take logits only, so from_logits defaults to True.
            "binary_crossentropy": _optax_loss(
                "optax.losses.sigmoid_binary_cross_entropy(...).mean(-1)",
                _logits_only(optax.losses.sigmoid_binary_cross_entropy),
                {"from_logits": True},
                last_axis=jnp.mean,
                rejects=_reject_probabilities,
            ),
            "sigmoid_cross_entropy_with_logits": _optax_loss(
                "optax.losses.sigmoid_binary_cross_entropy(...).mean(-1)",
                optax.losses.sigmoid_binary_cross_entropy,
                last_axis=jnp.mean,
            ),
            "categorical_crossentropy": _optax_loss(
                "optax.losses.softmax_cross_entropy "
                "(label_smoothing: optax.smooth_labels)",
                _logits_only(_categorical_crossentropy),
                {"from_logits": True, "label_smoothing": 0.0, "axis": -1},
                rejects=_reject_probabilities,
            ),
            "softmax_cross_entropy_with_logits": _optax_loss(
                "optax.losses.softmax_cross_entropy",
                optax.losses.softmax_cross_entropy,
                {"axis": -1},
            ),
            "sparse_categorical_crossentropy": _optax_loss(
                "optax.losses.softmax_cross_entropy_with_integer_labels",
                _logits_only(optax.losses.softmax_cross_entropy_with_integer_labels),
                {"from_logits": True, "axis": -1},
                rejects=_reject_probabilities,
            ),
            "kl_divergence_log_input": _optax_loss(
                "optax.losses.kl_divergence (log_target=True: "
                "kl_divergence_with_log_targets)",
                _kl_divergence,
                {"log_target": False},
            ),
            "cosine_similarity": _optax_loss(
                "optax.losses.cosine_similarity",
                optax.losses.cosine_similarity,
                {"axis": -1},
            ),
            "two_output_loss": Op(
                "w0 * optax.losses.squared_error(...).mean() + "
                "w1 * optax.losses.sigmoid_binary_cross_entropy(...).mean()",
                _two_output_loss,
                defaults={"loss_weights": NO_DEFAULT},
            ),
        }
    )
# The result, per loss, of the integer label k (the number of classes) and of -1. optax
# 0.2.8 gathers the label's logit with jnp.take_along_axis, whose default mode "fill"
# returns NaN for an index outside [-k, k) (jax 0.10.2). The gradient is then softmax(z)
# without the label's -1 term. A label in [-k, 0) wraps to class label + k, as in NumPy.
OUT_OF_RANGE_LABELS = {}
if optax is not None:
    OUT_OF_RANGE_LABELS["sparse_categorical_crossentropy"] = {"k": "nan", "-1": "wraps"}
# Not provided: prelu (flax has a PReLU layer, jax.nn no function), cross_entropy_delta,
# the cross-entropies on probabilities (optax's take logits), kl_divergence on
# probabilities (optax takes log q), and mean_absolute_error, smooth_l1,
# weighted_sigmoid_cross_entropy, poisson, squared_hinge and nll_loss (optax.losses has
# no such function). No optax loss takes sample_weight or class_weight (its where= is a
# mask), and binary_crossentropy has no label_smoothing: optax.smooth_labels gives
# (1 - ls) t + ls / k for k = the size of the last axis, the binary form t (1 - ls) +
# ls / 2 only where k = 2.
VARIANTS = {
    "leaky_relu": "right_kink",
    "hard_tanh": "closed_interval",
    "celu": "positive_zero",
}
if optax is not None:
    VARIANTS["hinge"] = "split_at_margin"
