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


def _per_sample_mean(elementwise, reduction):
    # Keras' per-sample convention: the mean over the last axis.
    per_sample = elementwise.mean(dim=-1)
    return per_sample if reduction == "none" else per_sample.mean()


def _mse_half_sum(y_pred, y_true, reduction):
    per_sample = 0.5 * F.mse_loss(y_pred, y_true, reduction="none").sum(dim=-1)
    return per_sample if reduction == "none" else per_sample.mean()


def _mse_mean(y_pred, y_true, reduction):
    if reduction == "mean":
        return F.mse_loss(y_pred, y_true, reduction="mean")
    return _per_sample_mean(F.mse_loss(y_pred, y_true, reduction="none"), reduction)


def _binary_cross_entropy(y_pred, y_true, reduction):
    if reduction == "mean":
        return F.binary_cross_entropy(y_pred, y_true, reduction="mean")
    return _per_sample_mean(
        F.binary_cross_entropy(y_pred, y_true, reduction="none"), reduction
    )


def _cross_entropy_soft_labels(y_pred, y_true, reduction):
    # torch puts the class axis at dim 1 for batched input; the canonical one is last.
    if y_pred.ndim > 2:
        y_pred, y_true = torch.movedim(y_pred, -1, 1), torch.movedim(y_true, -1, 1)
    return F.cross_entropy(y_pred, y_true, reduction=reduction)


def _binary_cross_entropy_with_logits(y_pred, y_true, reduction):
    if reduction == "mean":
        return F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="mean")
    elementwise = F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="none")
    return _per_sample_mean(elementwise, reduction)


def _prelu(x, weight):
    # F.prelu takes the weight as a tensor of one element per channel (one here).
    return F.prelu(x, torch.tensor([weight], dtype=x.dtype, device=x.device))


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
        "0.5 * torch.nn.functional.mse_loss(reduction='none').sum(-1)", _mse_half_sum
    ),
    "mse_mean": Op("torch.nn.functional.mse_loss", _mse_mean),
    "binary_crossentropy": Op(
        "torch.nn.functional.binary_cross_entropy", _binary_cross_entropy
    ),
    "softmax_cross_entropy_with_logits": Op(
        "torch.nn.functional.cross_entropy (probability targets)",
        _cross_entropy_soft_labels,
    ),
    "sigmoid_cross_entropy_with_logits": Op(
        "torch.nn.functional.binary_cross_entropy_with_logits",
        _binary_cross_entropy_with_logits,
    ),
}
# Not provided: cross_entropy_delta (a textbook form) and categorical_crossentropy on
# probabilities (torch's cross-entropy losses take logits or log-probabilities).
VARIANTS = {
    "relu": "negative_zero_kept",
    "relu6": "negative_zero_kept",
    "binary_crossentropy": "torch_log_floor",
    "softplus": "torch_threshold",
}
