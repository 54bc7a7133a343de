"""TensorFlow: tf.nn, and Keras 3 on the TensorFlow backend where tf.nn has no entry."""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from adapters.spec import Op, activation  # noqa: E402

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


def _keras_loss(function, loss_class):
    """Call the Keras per-sample function, or the loss class for the batch mean."""

    def forward(y_pred, y_true, reduction):
        if reduction == "none":
            return function(y_true, y_pred)
        # The class computes in its own dtype, float32 unless given a dtype.
        return loss_class(reduction="sum_over_batch_size", dtype=y_pred.dtype.name)(
            y_true, y_pred
        )

    return forward


def _half_sum_squares(y_pred, y_true, reduction):
    difference = y_pred - y_true
    if difference.shape.rank == 1:
        per_sample = tf.nn.l2_loss(difference)
    else:
        rows = tf.reshape(difference, (-1, difference.shape[-1]))
        per_sample = tf.reshape(tf.map_fn(tf.nn.l2_loss, rows), difference.shape[:-1])
    return per_sample if reduction == "none" else tf.reduce_mean(per_sample)


def _softmax_cross_entropy(y_pred, y_true, reduction):
    per_sample = tf.nn.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    return per_sample if reduction == "none" else tf.reduce_mean(per_sample)


def _sigmoid_cross_entropy(y_pred, y_true, reduction):
    elementwise = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    per_sample = tf.reduce_mean(elementwise, axis=-1)
    return per_sample if reduction == "none" else tf.reduce_mean(per_sample)


_GELU_FORM = {"approximate": lambda form: form == "tanh"}

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
    "mse_half_sum": Op("tf.nn.l2_loss(y_pred - y_true) per sample", _half_sum_squares),
    "mse_mean": Op(
        "keras.losses.mean_squared_error / MeanSquaredError",
        _keras_loss(keras.losses.mean_squared_error, keras.losses.MeanSquaredError),
    ),
    "binary_crossentropy": Op(
        "keras.losses.binary_crossentropy / BinaryCrossentropy",
        _keras_loss(keras.losses.binary_crossentropy, keras.losses.BinaryCrossentropy),
    ),
    "categorical_crossentropy": Op(
        "keras.losses.categorical_crossentropy / CategoricalCrossentropy",
        _keras_loss(
            keras.losses.categorical_crossentropy, keras.losses.CategoricalCrossentropy
        ),
    ),
    "softmax_cross_entropy_with_logits": Op(
        "tf.nn.softmax_cross_entropy_with_logits", _softmax_cross_entropy
    ),
    "sigmoid_cross_entropy_with_logits": Op(
        "tf.nn.sigmoid_cross_entropy_with_logits", _sigmoid_cross_entropy
    ),
}
# Not provided: prelu (Keras has only the PReLU layer) and cross_entropy_delta, a
# textbook form with no TensorFlow entry point.
VARIANTS = {
    "selu": "right_kink",
    "hard_tanh": "closed_interval",
    "binary_crossentropy": "keras_clip",
    "categorical_crossentropy": "keras_normalize_clip",
}
