"""JAX: jax.nn and jax.numpy for activations, optax for losses."""

import jax

# float64 arrays need x64 mode; every input here passes its dtype explicitly.
jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402

try:
    import optax
except ModuleNotFoundError:  # only the losses need optax; the activations run without
    optax = None

from adapters.spec import Op, activation  # noqa: E402

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


def _reduced(per_sample, reduction):
    return per_sample if reduction == "none" else jnp.mean(per_sample)


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
            "mse_half_sum": Op(
                "optax.losses.l2_loss(...).sum(-1)",
                lambda y_pred, y_true, reduction: _reduced(
                    optax.losses.l2_loss(y_pred, y_true).sum(axis=-1), reduction
                ),
            ),
            "mse_mean": Op(
                "optax.losses.squared_error(...).mean(-1)",
                lambda y_pred, y_true, reduction: _reduced(
                    optax.losses.squared_error(y_pred, y_true).mean(axis=-1), reduction
                ),
            ),
            "softmax_cross_entropy_with_logits": Op(
                "optax.losses.softmax_cross_entropy",
                lambda y_pred, y_true, reduction: _reduced(
                    optax.losses.softmax_cross_entropy(y_pred, y_true), reduction
                ),
            ),
            "sigmoid_cross_entropy_with_logits": Op(
                "optax.losses.sigmoid_binary_cross_entropy(...).mean(-1)",
                lambda y_pred, y_true, reduction: _reduced(
                    optax.losses.sigmoid_binary_cross_entropy(y_pred, y_true).mean(
                        axis=-1
                    ),
                    reduction,
                ),
            ),
        }
    )
# Not provided: prelu (flax has a PReLU layer, jax.nn no function), cross_entropy_delta,
# and the cross-entropies on probabilities
# (binary_crossentropy, categorical_crossentropy): optax's take logits.
VARIANTS = {
    "leaky_relu": "right_kink",
    "hard_tanh": "closed_interval",
    "celu": "positive_zero",
}
