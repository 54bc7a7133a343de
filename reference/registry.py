"""The canonical functions: their reference implementation, arguments and variants.

A variant is a named, sourced definition that a framework follows where it departs
from the exact mathematical one, such as a clipped probability or a clamped log. Each
adapter declares, per function, the variant its framework computes. The suite
checks the framework against that variant at full precision and reports the
variant's distance from the exact value.
"""

from functools import partial

from reference import activations
from reference.functions import EXACT, ReferenceFunction, Variant
from reference.loss_registry import LOSS_FUNCTIONS


def _activation(name, forward, vjp, source, extra_variants=None):
    variants = {EXACT: Variant(forward, source, "the mathematical definition", vjp)}
    variants.update(extra_variants or {})
    return ReferenceFunction(name, "activation", ("x",), variants)


def _negative_zero_kept(forward):
    return Variant(
        forward,
        "torch.relu and torch.nn.functional.relu6, measured on torch 2.13.0",
        "max(x, 0) returns x itself at the tie x = -0.0, so f(-0.0) = -0.0",
    )


TORCH_SOFTPLUS_THRESHOLD = 20.0  # torch.nn.functional.softplus default threshold

_FUNCTIONS = [
    _activation(
        "elu",
        activations.elu,
        activations.elu_vjp,
        "Clevert, Unterthiner, Hochreiter, ICLR 2016, arXiv:1511.07289",
    ),
    _activation(
        "relu",
        activations.relu,
        activations.relu_vjp,
        "Nair and Hinton, ICML 2010",
        {
            "negative_zero_kept": _negative_zero_kept(
                activations.relu_keeping_negative_zero
            )
        },
    ),
    _activation(
        "leaky_relu",
        activations.leaky_relu,
        activations.leaky_relu_vjp,
        "Maas, Hannun, Ng, ICML 2013 workshop",
        {
            "right_kink": Variant(
                activations.leaky_relu,
                "jax.nn.leaky_relu source, JAX 0.10: jnp.where(x >= 0, x, slope * x)",
                "derivative 1 at x = 0 (the x >= 0 branch); left derivative elsewhere",
                activations.leaky_relu_vjp_right_kink,
            )
        },
    ),
    _activation(
        "sigmoid", activations.sigmoid, activations.sigmoid_vjp, "logistic function"
    ),
    _activation("tanh", activations.tanh, activations.tanh_vjp, "hyperbolic tangent"),
    _activation(
        "softmax",
        activations.softmax,
        activations.softmax_vjp,
        "Bridle, 1990; Goodfellow, Bengio, Courville, Deep Learning, 6.2.2.3",
    ),
    _activation(
        "relu6",
        activations.relu6,
        activations.relu6_vjp,
        "Krizhevsky, 2010 (CIFAR-10 DBN)",
        {
            "negative_zero_kept": _negative_zero_kept(
                activations.relu6_keeping_negative_zero
            )
        },
    ),
    _activation(
        "prelu",
        activations.prelu,
        activations.prelu_vjp,
        "He, Zhang, Ren, Sun, ICCV 2015, arXiv:1502.01852",
    ),
    _activation(
        "selu",
        activations.selu,
        activations.selu_vjp,
        "Klambauer et al., NeurIPS 2017, arXiv:1706.02515",
        {
            "right_kink": Variant(
                activations.selu,
                "tf.nn.selu gradient (SeluGrad kernel), TensorFlow 2.21, measured",
                "derivative scale (the x > 0 branch) at x = 0",
                activations.selu_vjp_right_kink,
            )
        },
    ),
    _activation(
        "celu",
        activations.celu,
        activations.celu_vjp,
        "Barron, arXiv:1704.07483",
        {
            "positive_zero": Variant(
                activations.celu_positive_zero,
                "jax.nn.celu, JAX 0.10.2, measured",
                "celu(-0.0) = +0.0, where the formula gives -0.0",
            )
        },
    ),
    _activation(
        "gelu",
        activations.gelu,
        activations.gelu_vjp,
        "Hendrycks and Gimpel, arXiv:1606.08415",
    ),
    _activation(
        "hard_sigmoid",
        activations.hard_sigmoid,
        activations.hard_sigmoid_vjp,
        "relu6(x + 3) / 6, as torch.nn.functional.hardsigmoid, Keras 3 and jax.nn",
    ),
    _activation(
        "log_sigmoid",
        activations.log_sigmoid,
        activations.log_sigmoid_vjp,
        "log(1 / (1 + exp(-x)))",
    ),
    _activation(
        "hard_tanh",
        activations.hard_tanh,
        activations.hard_tanh_vjp,
        "clip(x, min_val, max_val), torch.nn.functional.hardtanh docs",
        {
            "closed_interval": Variant(
                activations.hard_tanh,
                "keras.activations.hard_tanh and jax.nn.hard_tanh gradients, measured "
                "on Keras 3.15.1 and JAX 0.10.2",
                "derivative 1 at x = -1 and x = 1 (the closed interval)",
                activations.hard_tanh_vjp_closed,
            )
        },
    ),
    _activation(
        "softplus",
        activations.softplus,
        activations.softplus_vjp,
        "log(1 + exp(x)) (Dugas et al., NeurIPS 2000)",
        {
            "torch_threshold": Variant(
                partial(activations.softplus, threshold=TORCH_SOFTPLUS_THRESHOLD),
                "torch.nn.functional.softplus docs: 'reverts to the linear function "
                "when input x beta > threshold', threshold = 20",
                "x itself where beta * x > 20",
                partial(activations.softplus_vjp, threshold=TORCH_SOFTPLUS_THRESHOLD),
            )
        },
    ),
    _activation(
        "softsign", activations.softsign, activations.softsign_vjp, "x / (1 + |x|)"
    ),
    _activation(
        "silu",
        activations.silu,
        activations.silu_vjp,
        "Elfwing, Uchibe, Doya, arXiv:1702.03118; swish with beta = 1",
    ),
    _activation(
        "mish", activations.mish, activations.mish_vjp, "Misra, arXiv:1908.08681"
    ),
    _activation(
        "hard_swish",
        activations.hard_swish,
        activations.hard_swish_vjp,
        "Howard et al., MobileNetV3, arXiv:1905.02244",
    ),
    _activation(
        "log_softmax",
        activations.log_softmax,
        activations.log_softmax_vjp,
        "log of softmax, max-shifted",
    ),
    _activation(
        "glu", activations.glu, activations.glu_vjp, "Dauphin et al., arXiv:1612.08083"
    ),
]
_FUNCTIONS += LOSS_FUNCTIONS

FUNCTIONS: dict[str, ReferenceFunction] = {f.name: f for f in _FUNCTIONS}
assert len(FUNCTIONS) == len(_FUNCTIONS), "duplicate function name in the registry"


def get_function(name: str) -> ReferenceFunction:
    """Look up a canonical function by name, with the known names in the error."""
    try:
        return FUNCTIONS[name]
    except KeyError:
        raise KeyError(
            f"unknown function {name!r}; known functions: {', '.join(sorted(FUNCTIONS))}"
        ) from None
