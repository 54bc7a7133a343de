"""TensorFlow: tf.nn, and Keras 3 on the TensorFlow backend where tf.nn has no entry."""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from adapters.spec import NO_DEFAULT, Op, activation  # noqa: E402

NAME = "tensorflow"
DTYPES = ("float16", "bfloat16", "float32", "float64")
_DEVICES = {"cpu": "/CPU:0", "gpu": "/GPU:0"}

if keras.backend.backend() != "tensorflow":
    raise ImportError(
        f"Keras runs on the {keras.backend.backend()!r} backend; unset KERAS_BACKEND or "
        "set it to 'tensorflow' so the tensorflow adapter tests tf.keras"
    )


def version():
    return f"{tf.__version__} (keras {keras.__version__})"


def device_unavailable_reason(device):
    if device == "gpu" and not tf.config.list_physical_devices("GPU"):
        return (
            "tf.config.list_physical_devices('GPU') is empty (tensorflow-cpu or no GPU)"
        )
    return None


def to_tensor(array, dtype, device):
    with tf.device(_DEVICES[device]):
        return tf.identity(tf.constant(array, dtype=dtype))


def to_numpy(tensor):
    return tensor.numpy()


def vjp(forward, x, v, **params):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = forward(x, **params)
    return tape.gradient(y, x, output_gradients=v)


def synchronize(tensor):
    # .numpy() copies to the host and so waits for the device.
    tensor.numpy()
    return tensor


_KERAS_REDUCTIONS = {"none": "none", "sum": "sum", "mean": "sum_over_batch_size"}


def _check_reduction(reduction):
    if reduction not in _KERAS_REDUCTIONS:
        raise ValueError(
            f"reduction={reduction!r} is invalid; use one of 'none', 'sum' or 'mean'"
        )


def _reduce(per_sample, reduction):
    """Reduce the per-sample values of a tf.nn loss, which has no reduction."""
    _check_reduction(reduction)
    if reduction == "sum":
        return tf.reduce_sum(per_sample)
    if reduction == "mean":
        return tf.reduce_mean(per_sample)
    return per_sample


def _weights(values, like):
    """Convert a list of weights to a tensor of ``like``'s dtype on its device."""
    with tf.device(like.device):
        return tf.identity(tf.constant(values, dtype=like.dtype))


def _keras_loss(loss_class, defaults, fixed=None, rejects=None):
    """Build the Op for a Keras 3 Loss class called as ``loss(y_true, y_pred)``.

    The class applies Keras' own reduction and sample_weight, with canonical "mean"
    mapped to its default, "sum_over_batch_size". The other parameters go to the
    constructor, whose names are the canonical ones. ``fixed`` maps a canonical
    parameter that the class lacks to the one value it always computes: that value is
    declared as the default, left out of the call, and any other value is rejected.
    ``rejects`` adds further rejected combinations.
    """
    fixed = fixed or {}
    api = f"keras.losses.{loss_class.__name__}"

    def forward(y_pred, y_true, **params):
        sample_weight = params.pop("sample_weight", None)
        options = {key: value for key, value in params.items() if key not in fixed}
        if "reduction" in options:
            _check_reduction(options["reduction"])
            options["reduction"] = _KERAS_REDUCTIONS[options["reduction"]]
        if sample_weight is not None:
            sample_weight = _weights(sample_weight, y_pred)
        # The class computes in its own dtype, float32 unless given a dtype.
        loss = loss_class(dtype=y_pred.dtype.name, **options)
        return loss(y_true, y_pred, sample_weight=sample_weight)

    def reject(params):
        for name, value in fixed.items():
            if name in params and params[name] != value:
                return (
                    f"{name}={params[name]!r}: {api} has no {name} parameter and "
                    f"always computes {name}={value!r}"
                )
        return None if rejects is None else rejects(params)

    has_rejects = bool(fixed) or rejects is not None
    return Op(
        api,
        forward,
        defaults={**defaults, **fixed},
        rejects=reject if has_rejects else None,
    )


# Every Keras Loss class defaults to sum_over_batch_size (canonical "mean") and to no
# sample weights.
_KERAS_REDUCTION_DEFAULTS = {"reduction": "mean", "sample_weight": None}


def _last_axis_only(params):
    # keras/src/backend/tensorflow/nn.py sparse_categorical_crossentropy raises
    # ValueError for any axis but -1 and ndim - 1.
    # NOTE: a non-negative axis naming the last axis also works, but rejects() receives
    # only the parameters, not the rank, so it rejects that axis too.
    axis = params.get("axis", -1)
    if axis == -1:
        return None
    return (
        f"axis={axis!r}: Keras' TensorFlow backend computes sparse categorical "
        "cross-entropy over the last axis (axis=-1) only"
    )


def _half_sum_squares(y_pred, y_true, reduction="sum"):
    difference = y_pred - y_true
    if reduction == "sum":
        return tf.nn.l2_loss(difference)
    if difference.shape.rank == 1:
        per_sample = tf.nn.l2_loss(difference)
    else:
        rows = tf.reshape(difference, (-1, difference.shape[-1]))
        per_sample = tf.reshape(tf.map_fn(tf.nn.l2_loss, rows), difference.shape[:-1])
    return _reduce(per_sample, reduction)


def _softmax_cross_entropy(y_pred, y_true, reduction="none", **axis):
    # axis, when the case passes it, goes to tf.nn, whose default is -1.
    per_sample = tf.nn.softmax_cross_entropy_with_logits(
        labels=y_true, logits=y_pred, **axis
    )
    return _reduce(per_sample, reduction)


def _sigmoid_cross_entropy(y_pred, y_true, reduction="none"):
    elementwise = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    return _reduce(tf.reduce_mean(elementwise, axis=-1), reduction)


def _weighted_sigmoid_cross_entropy(y_pred, y_true, pos_weight, reduction="none"):
    elementwise = tf.nn.weighted_cross_entropy_with_logits(
        labels=y_true, logits=y_pred, pos_weight=pos_weight
    )
    return _reduce(tf.reduce_mean(elementwise, axis=-1), reduction)


# Keras' Poisson takes the rate itself; tf.nn.log_poisson_loss takes its log.
_KERAS_POISSON = _keras_loss(keras.losses.Poisson, _KERAS_REDUCTION_DEFAULTS)


def _poisson(y_pred, y_true, log_input=False, **params):
    if not log_input:
        return _KERAS_POISSON.forward(y_pred, y_true, **params)
    elementwise = tf.nn.log_poisson_loss(targets=y_true, log_input=y_pred)
    return _reduce(
        tf.reduce_mean(elementwise, axis=-1), params.get("reduction", "mean")
    )


def _poisson_rejects(params):
    if params.get("log_input") and params.get("sample_weight") is not None:
        return "sample_weight with log_input=True: tf.nn.log_poisson_loss takes none"
    return None


_GELU_FORM = {"approximate": lambda form: form == "tanh"}


def _two_output_loss(y_pred, y_true, loss_weights):
    """Keras' own multi-output loss: a two-output model compiled with one loss and one
    weight per output, evaluated by Model.compute_loss on the given predictions."""
    dtype = y_pred.dtype.name
    # A model's total loss is computed in keras.config.floatx(), float32 by default, so
    # the model is built and called with floatx set to the dtype under test.
    floatx = keras.config.floatx()
    keras.config.set_floatx(dtype)
    try:
        inputs = keras.Input(shape=tuple(y_pred.shape[2:]), dtype=dtype)
        outputs = [
            keras.layers.Identity(name="regression")(inputs),
            keras.layers.Identity(name="binary")(inputs),
        ]
        model = keras.Model(inputs, outputs)
        model.compile(
            loss=[
                keras.losses.MeanSquaredError(),
                keras.losses.BinaryCrossentropy(from_logits=True),
            ],
            loss_weights=list(loss_weights),
        )
        return model.compute_loss(
            x=None, y=[y_true[0], y_true[1]], y_pred=[y_pred[0], y_pred[1]]
        )
    finally:
        keras.config.set_floatx(floatx)


FUNCTIONS = {
    # tf.nn.elu has no alpha; Keras' elu scales tf.nn.elu's negative branch by alpha.
    "elu": activation("keras.activations.elu", keras.activations.elu, {"alpha": 1.0}),
    "relu": activation("tf.nn.relu", tf.nn.relu),
    "leaky_relu": activation(
        "tf.nn.leaky_relu",
        tf.nn.leaky_relu,
        {"negative_slope": 0.2},
        {"negative_slope": "alpha"},
    ),
    "sigmoid": activation("tf.nn.sigmoid", tf.nn.sigmoid),
    "tanh": activation("tf.nn.tanh", tf.nn.tanh),
    # tf.nn.softmax's axis=None means the last axis.
    "softmax": activation("tf.nn.softmax", tf.nn.softmax, {"axis": -1}),
    "relu6": activation("tf.nn.relu6", tf.nn.relu6),
    "selu": activation("tf.nn.selu", tf.nn.selu),
    "celu": activation(
        "keras.activations.celu", keras.activations.celu, {"alpha": 1.0}
    ),
    "gelu": activation(
        "tf.nn.gelu", tf.nn.gelu, {"approximate": "none"}, converters=_GELU_FORM
    ),
    "hard_sigmoid": activation(
        "keras.activations.hard_sigmoid", keras.activations.hard_sigmoid
    ),
    "log_sigmoid": activation("tf.math.log_sigmoid", tf.math.log_sigmoid),
    "hard_tanh": activation("keras.activations.hard_tanh", keras.activations.hard_tanh),
    "softplus": activation("tf.nn.softplus", tf.nn.softplus),
    "softsign": activation("tf.nn.softsign", tf.nn.softsign),
    "silu": activation("tf.nn.silu", tf.nn.silu),
    "mish": activation("keras.activations.mish", keras.activations.mish),
    "hard_swish": activation(
        "keras.activations.hard_silu", keras.activations.hard_silu
    ),
    "log_softmax": activation("tf.nn.log_softmax", tf.nn.log_softmax, {"axis": -1}),
    "glu": activation("keras.activations.glu", keras.activations.glu, {"axis": -1}),
    # tf.nn.l2_loss(t) returns sum(t ** 2) / 2 over the whole tensor, the canonical
    # "sum".
    "mse_half_sum": Op(
        "tf.nn.l2_loss(y_pred - y_true)",
        _half_sum_squares,
        defaults={"reduction": "sum"},
    ),
    "mse_mean": _keras_loss(keras.losses.MeanSquaredError, _KERAS_REDUCTION_DEFAULTS),
    "mean_absolute_error": _keras_loss(
        keras.losses.MeanAbsoluteError, _KERAS_REDUCTION_DEFAULTS
    ),
    "huber": _keras_loss(
        keras.losses.Huber, {"delta": 1.0, **_KERAS_REDUCTION_DEFAULTS}
    ),
    "log_cosh": _keras_loss(keras.losses.LogCosh, _KERAS_REDUCTION_DEFAULTS),
    "binary_crossentropy": _keras_loss(
        keras.losses.BinaryCrossentropy,
        {"from_logits": False, "label_smoothing": 0.0, **_KERAS_REDUCTION_DEFAULTS},
    ),
    "sigmoid_cross_entropy_with_logits": Op(
        "tf.nn.sigmoid_cross_entropy_with_logits",
        _sigmoid_cross_entropy,
        defaults={"reduction": "none"},
    ),
    "weighted_sigmoid_cross_entropy": Op(
        "tf.nn.weighted_cross_entropy_with_logits",
        _weighted_sigmoid_cross_entropy,
        defaults={"pos_weight": NO_DEFAULT, "reduction": "none"},
    ),
    "poisson": Op(
        "keras.losses.Poisson (log_input=True: tf.nn.log_poisson_loss)",
        _poisson,
        defaults={"log_input": False, **_KERAS_REDUCTION_DEFAULTS},
        rejects=_poisson_rejects,
    ),
    "hinge": _keras_loss(keras.losses.Hinge, _KERAS_REDUCTION_DEFAULTS),
    "squared_hinge": _keras_loss(keras.losses.SquaredHinge, _KERAS_REDUCTION_DEFAULTS),
    # Keras smooths labels with k = the size of the last axis even when axis names
    # another one (keras/src/losses/losses.py categorical_crossentropy).
    "categorical_crossentropy": _keras_loss(
        keras.losses.CategoricalCrossentropy,
        {
            "from_logits": False,
            "label_smoothing": 0.0,
            "axis": -1,
            **_KERAS_REDUCTION_DEFAULTS,
        },
    ),
    "softmax_cross_entropy_with_logits": Op(
        "tf.nn.softmax_cross_entropy_with_logits",
        _softmax_cross_entropy,
        defaults={"axis": -1, "reduction": "none"},
    ),
    # Keras has no class_weight on its losses, only on Model.fit.
    # NOTE: Loss.__call__ casts the int64 labels to the loss dtype, so in bfloat16 a
    # label above 256 rounds (257 becomes 256), and in float16 one above 2048.
    "sparse_categorical_crossentropy": _keras_loss(
        keras.losses.SparseCategoricalCrossentropy,
        {"from_logits": False, "axis": -1, **_KERAS_REDUCTION_DEFAULTS},
        rejects=_last_axis_only,
    ),
    "kl_divergence": _keras_loss(keras.losses.KLDivergence, _KERAS_REDUCTION_DEFAULTS),
    "cosine_similarity": _keras_loss(
        keras.losses.CosineSimilarity, {"axis": -1, **_KERAS_REDUCTION_DEFAULTS}
    ),
    "two_output_loss": Op(
        "keras.Model.compile(loss=[MeanSquaredError(), BinaryCrossentropy("
        "from_logits=True)], loss_weights=...).compute_loss",
        _two_output_loss,
        defaults={"loss_weights": NO_DEFAULT},
    ),
}
# Not provided: prelu, because Keras has only the PReLU layer, and cross_entropy_delta,
# a textbook form with no TensorFlow entry point. Neither tf.nn nor keras.losses has
# smooth_l1 or nll_loss, and KLDivergence takes probabilities, not the log q that
# kl_divergence_log_input takes.

# The outcome of sparse_categorical_crossentropy for the label k, one past the last
# class: tf.nn.sparse_softmax_cross_entropy_with_logits raises InvalidArgumentError
# ("Received a label value of k which is outside the valid range of [0, k)") on the
# CPU, as it does for -1. According to its docstring, the GPU kernel returns NaN for
# that row's loss and gradient instead.
# NOTE: the GPU behaviour is taken from that docstring (TF 2.21.0), never measured.
OUT_OF_RANGE_LABELS = {
    "sparse_categorical_crossentropy": {"k": "raises", "-1": "raises"}
}
VARIANTS = {
    "selu": "right_kink",
    "hard_tanh": "closed_interval",
    "binary_crossentropy": "keras_clip",
    "categorical_crossentropy": "keras_normalize_clip",
    "sparse_categorical_crossentropy": "keras_clip_then_normalize",
    "poisson": "keras_log_epsilon",
    "hinge": "keras_binary_labels",
    "squared_hinge": "keras_binary_labels",
    "kl_divergence": "keras_clip",
    "cosine_similarity": "keras_negated",
}
