"""PyTorch: torch and torch.nn.functional."""

import ml_dtypes
import torch
import torch.nn.functional as F

from adapters.spec import NO_DEFAULT, Op, activation

NAME = "torch"
DTYPES = ("float16", "bfloat16", "float32", "float64")
_DEVICES = {"cpu": "cpu", "gpu": "cuda"}


def version():
    return torch.__version__


def device_unavailable_reason(device):
    if device == "gpu" and not torch.cuda.is_available():
        return "torch.cuda.is_available() is False: no CUDA device or a CPU-only build"
    return None


def to_tensor(array, dtype, device):
    return torch.as_tensor(array, dtype=getattr(torch, dtype), device=_DEVICES[device])


def to_numpy(tensor):
    tensor = tensor.detach().cpu()
    if tensor.dtype == torch.bfloat16:
        # NumPy has no bfloat16 of its own, so go through float32, which represents
        # every bfloat16 value exactly.
        return tensor.float().numpy().astype(ml_dtypes.bfloat16)
    return tensor.numpy()


def vjp(forward, x, v, **params):
    x = x.detach().clone().requires_grad_(True)
    (gradient,) = torch.autograd.grad(forward(x, **params), x, grad_outputs=v)
    return gradient


def synchronize(tensor):
    if tensor.is_cuda:
        torch.cuda.synchronize()
    return tensor


def _weights(values, like):
    """Convert a list of weights to a tensor of ``like``'s dtype on its device."""
    return torch.as_tensor(values, dtype=like.dtype, device=like.device)


def _elementwise_loss(api, function, defaults, converters=None):
    """Build the Op for a torch loss that returns one value per element.

    torch's reduction="none" keeps every element, so for "none" the adapter takes the
    mean over the last axis, the canonical per-sample value. "sum" and "mean" are
    torch's own, over all elements, and a call without a reduction gets torch's
    default, "mean". ``converters`` turn a canonical value into torch's argument and
    take the value and y_pred, whose dtype and device a tensor argument needs.
    """
    converters = converters or {}

    def forward(y_pred, y_true, **params):
        arguments = {
            key: converters[key](value, y_pred) if key in converters else value
            for key, value in params.items()
        }
        loss = function(y_pred, y_true, **arguments)
        return loss.mean(dim=-1) if params.get("reduction") == "none" else loss

    return Op(api, forward, defaults={**defaults, "reduction": "mean"})


_REDUCTIONS = {
    "none": lambda per_sample: per_sample,
    "sum": torch.sum,
    "mean": torch.mean,
}


def _reduce(per_sample, reduction):
    """Apply a canonical reduction to per-sample values that torch did not reduce."""
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"reduction={reduction!r} is not supported; use one of {list(_REDUCTIONS)}"
        )
    return _REDUCTIONS[reduction](per_sample)


def _mse_half_sum(y_pred, y_true, reduction="none"):
    per_sample = 0.5 * F.mse_loss(y_pred, y_true, reduction="none").sum(dim=-1)
    return _reduce(per_sample, reduction)


def _class_weight_argument(class_weight, like):
    return None if class_weight is None else _weights(class_weight, like)


def _binary_cross_entropy(
    y_pred, y_true, from_logits=False, class_weight=None, **options
):
    if class_weight is not None:
        options["weight"] = class_weight
    if from_logits:
        return F.binary_cross_entropy_with_logits(y_pred, y_true, **options)
    return F.binary_cross_entropy(y_pred, y_true, **options)


def _pos_weight(pos_weight, like):
    # One pos_weight for every class: a one-element tensor broadcasts over the classes.
    return _weights([pos_weight], like)


def _reject_probabilities(params):
    if params.get("from_logits", True):
        return None
    return "probabilities (from_logits=False); it takes logits"


def _require_logits(from_logits):
    if not from_logits:
        raise ValueError(
            f"from_logits={from_logits!r} is not supported because "
            "torch.nn.functional.cross_entropy takes logits only. Pass logits with "
            "from_logits=True."
        )


def _to_class_dim(tensor, axis):
    # torch's cross-entropy losses take the classes at dim 1, or at dim 0 for one
    # unbatched sample. movedim keeps the other axes in order; without an axis the
    # tensor goes as it is, so torch's own class dim applies.
    if axis is None:
        return tensor
    return torch.movedim(tensor, axis, 0 if tensor.ndim == 1 else 1)


def _cross_entropy_probabilities(
    y_pred, y_true, axis=None, from_logits=True, class_weight=None, **options
):
    # torch takes y_true as probabilities when it has y_pred's shape.
    _require_logits(from_logits)
    if class_weight is not None:
        options["weight"] = _weights(class_weight, y_pred)
    return F.cross_entropy(
        _to_class_dim(y_pred, axis), _to_class_dim(y_true, axis), **options
    )


def _cross_entropy_labels(
    y_pred, y_true, axis=None, from_logits=True, class_weight=None, **options
):
    _require_logits(from_logits)
    if class_weight is not None:
        options["weight"] = _weights(class_weight, y_pred)
    return F.cross_entropy(_to_class_dim(y_pred, axis), y_true, **options)


def _nll_loss(y_pred, y_true, class_weight=None, **options):
    if class_weight is not None:
        options["weight"] = _weights(class_weight, y_pred)
    return F.nll_loss(_to_class_dim(y_pred, -1), y_true, **options)


def _kl_div(y_pred, y_true, **options):
    loss = F.kl_div(y_pred, y_true, **options)
    # torch's reduction="none" keeps every element, and the per-sample divergence is
    # their sum over the classes, on the last axis.
    return loss.sum(dim=-1) if options.get("reduction") == "none" else loss


def _cosine_similarity(y_pred, y_true, axis=None, reduction="none"):
    # torch returns one value per sample and has no reduction of its own. Without an
    # axis, dim keeps torch's default, 1.
    dim = {} if axis is None else {"dim": axis}
    return _reduce(F.cosine_similarity(y_pred, y_true, **dim), reduction)


def _prelu(x, weight):
    # F.prelu takes the weight as a tensor of one element per channel (one here).
    return F.prelu(x, torch.tensor([weight], dtype=x.dtype, device=x.device))


def _two_output_loss(y_pred, y_true, loss_weights):
    # torch has no multi-output loss: a training loop adds the weighted batch means.
    regression = F.mse_loss(y_pred[0], y_true[0])
    binary = F.binary_cross_entropy_with_logits(y_pred[1], y_true[1])
    return loss_weights[0] * regression + loss_weights[1] * binary


FUNCTIONS = {
    "elu": activation("torch.nn.functional.elu", F.elu, {"alpha": 1.0}),
    "relu": activation("torch.nn.functional.relu", F.relu),
    "leaky_relu": activation(
        "torch.nn.functional.leaky_relu", F.leaky_relu, {"negative_slope": 0.01}
    ),
    "sigmoid": activation("torch.sigmoid", torch.sigmoid),
    "tanh": activation("torch.tanh", torch.tanh),
    # dim=None picks dim 0 for 0-, 1- and 3-D input and 1 otherwise, with a warning.
    "softmax": activation(
        "torch.nn.functional.softmax", F.softmax, {"axis": NO_DEFAULT}, {"axis": "dim"}
    ),
    "relu6": activation("torch.nn.functional.relu6", F.relu6),
    "prelu": activation("torch.nn.functional.prelu", _prelu, {"weight": NO_DEFAULT}),
    "selu": activation("torch.nn.functional.selu", F.selu),
    "celu": activation("torch.nn.functional.celu", F.celu, {"alpha": 1.0}),
    "gelu": activation("torch.nn.functional.gelu", F.gelu, {"approximate": "none"}),
    "hard_sigmoid": activation("torch.nn.functional.hardsigmoid", F.hardsigmoid),
    "log_sigmoid": activation("torch.nn.functional.logsigmoid", F.logsigmoid),
    "hard_tanh": activation("torch.nn.functional.hardtanh", F.hardtanh),
    "softplus": activation(
        "torch.nn.functional.softplus", F.softplus, {"beta": 1.0, "threshold": 20.0}
    ),
    "softsign": activation("torch.nn.functional.softsign", F.softsign),
    "silu": activation("torch.nn.functional.silu", F.silu),
    "mish": activation("torch.nn.functional.mish", F.mish),
    "hard_swish": activation("torch.nn.functional.hardswish", F.hardswish),
    "log_softmax": activation(
        "torch.nn.functional.log_softmax",
        F.log_softmax,
        {"axis": NO_DEFAULT},
        {"axis": "dim"},
    ),
    "glu": activation("torch.nn.functional.glu", F.glu, {"axis": -1}, {"axis": "dim"}),
    "mse_half_sum": Op(
        "0.5 * torch.nn.functional.mse_loss(reduction='none').sum(-1)",
        _mse_half_sum,
        defaults={"reduction": "none"},
    ),
    "mse_mean": _elementwise_loss("torch.nn.functional.mse_loss", F.mse_loss, {}),
    "mean_absolute_error": _elementwise_loss(
        "torch.nn.functional.l1_loss", F.l1_loss, {}
    ),
    "huber": _elementwise_loss(
        "torch.nn.functional.huber_loss", F.huber_loss, {"delta": 1.0}
    ),
    "smooth_l1": _elementwise_loss(
        "torch.nn.functional.smooth_l1_loss", F.smooth_l1_loss, {"beta": 1.0}
    ),
    # torch has no from_logits: the entry point is binary_cross_entropy on
    # probabilities, and from_logits=True calls binary_cross_entropy_with_logits.
    "binary_crossentropy": _elementwise_loss(
        "torch.nn.functional.binary_cross_entropy "
        "(from_logits=True: binary_cross_entropy_with_logits)",
        _binary_cross_entropy,
        {"from_logits": False, "class_weight": None},
        # weight= rescales each element; one weight per class broadcasts over rows.
        {"class_weight": _class_weight_argument},
    ),
    "sigmoid_cross_entropy_with_logits": _elementwise_loss(
        "torch.nn.functional.binary_cross_entropy_with_logits",
        F.binary_cross_entropy_with_logits,
        {},
    ),
    # torch's default pos_weight=None weighs every positive by 1.
    "weighted_sigmoid_cross_entropy": _elementwise_loss(
        "torch.nn.functional.binary_cross_entropy_with_logits(pos_weight=)",
        F.binary_cross_entropy_with_logits,
        {"pos_weight": 1.0},
        {"pos_weight": _pos_weight},
    ),
    # full=False (the default) leaves out the Stirling term.
    "poisson": _elementwise_loss(
        "torch.nn.functional.poisson_nll_loss",
        F.poisson_nll_loss,
        {"log_input": True},
    ),
    # torch has no axis argument: its class axis is dim 1 (dim 0 for one unbatched
    # sample), so the adapter moves a given canonical axis there.
    "categorical_crossentropy": Op(
        "torch.nn.functional.cross_entropy (probability targets)",
        _cross_entropy_probabilities,
        defaults={
            "from_logits": True,
            "label_smoothing": 0.0,
            "axis": 1,
            "class_weight": None,
            "reduction": "mean",
        },
        rejects=_reject_probabilities,
    ),
    "softmax_cross_entropy_with_logits": Op(
        "torch.nn.functional.cross_entropy (probability targets)",
        _cross_entropy_probabilities,
        defaults={"axis": 1, "reduction": "mean"},
    ),
    "sparse_categorical_crossentropy": Op(
        "torch.nn.functional.cross_entropy (class indices)",
        _cross_entropy_labels,
        defaults={
            "from_logits": True,
            "axis": 1,
            "class_weight": None,
            "label_smoothing": 0.0,
            "reduction": "mean",
        },
        rejects=_reject_probabilities,
    ),
    "nll_loss": Op(
        "torch.nn.functional.nll_loss",
        _nll_loss,
        defaults={"class_weight": None, "reduction": "mean"},
    ),
    "kl_divergence_log_input": Op(
        "torch.nn.functional.kl_div",
        _kl_div,
        defaults={"log_target": False, "reduction": "mean"},
    ),
    "cosine_similarity": Op(
        "torch.nn.functional.cosine_similarity",
        _cosine_similarity,
        defaults={"axis": 1, "reduction": "none"},
    ),
    "two_output_loss": Op(
        "w0 * F.mse_loss + w1 * F.binary_cross_entropy_with_logits",
        _two_output_loss,
        defaults={"loss_weights": NO_DEFAULT},
    ),
}
# Not provided: cross_entropy_delta, a textbook form. torch's cross-entropies take
# logits or log-probabilities, so there is no categorical_crossentropy or
# sparse_categorical_crossentropy with from_logits=False, and kl_div takes log q, so
# there is no kl_divergence on probabilities. torch.nn.functional has no log_cosh or
# squared_hinge, and its hinge_embedding_loss is a different loss from hinge. No
# torch.nn.functional loss has a sample_weight argument, and the weight= arguments that
# some have rescale single elements, so sample_weight is left out everywhere, as is
# label_smoothing for binary_crossentropy.

# OUT_OF_RANGE_LABELS: the result, per loss, of the integer label k (the number of
# classes) and of -1. On the CPU, nll_loss raises IndexError ("Target k is out of bounds."),
# as it does for -1, and cross_entropy with class indices goes through nll_loss. The
# label -100, the default ignore_index, is skipped instead: its loss is 0, and "mean"
# leaves it out of the divisor.
# NOTE: measured on the CPU build only. The CUDA kernels check the label with
# CUDA_KERNEL_ASSERT, a device-side assert, not an IndexError.
OUT_OF_RANGE_LABELS = {
    "sparse_categorical_crossentropy": {"k": "raises", "-1": "raises"},
    "nll_loss": {"k": "raises", "-1": "raises"},
}
VARIANTS = {
    "cosine_similarity": "torch_norm_floor",
    "relu": "negative_zero_kept",
    "relu6": "negative_zero_kept",
    "softplus": "torch_threshold",
    "mse_mean": "torch_element_sum",
    "mean_absolute_error": "torch_element_sum",
    "huber": "torch_element_sum",
    "smooth_l1": "torch_element_sum",
    "binary_crossentropy": "torch_log_floor",
    "sigmoid_cross_entropy_with_logits": "torch_element_sum",
    "weighted_sigmoid_cross_entropy": "torch_element_sum",
    "poisson": "torch_log_epsilon",
    "sparse_categorical_crossentropy": "torch_weight_total",
    "nll_loss": "torch_weight_total",
    "kl_divergence_log_input": "torch_element_mean",
}
