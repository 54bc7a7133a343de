"""Recorded framework defects: differences from the reference that no variant explains.

Each entry states why it happens, where upstream it is documented or how to reproduce
it, and the versions it was seen on. An entry with a ``model`` (see defect_models.py)
is asserted exactly: the framework must match the model, so a fix or any other error
turns the run red. An entry without one is a strict expected failure: the run turns
red (XPASS) when a release fixes it, but any failure of the cell counts as the defect.
"""

import fnmatch
import os
import platform
from dataclasses import dataclass
from typing import Callable

from harness import defect_models


def _tensorflow_onednn_enabled():
    # TensorFlow turns oneDNN kernels on by default on x86-64 Linux since 2.9 unless
    # TF_ENABLE_ONEDNN_OPTS=0 (see the notice TensorFlow logs at import).
    return os.environ.get(
        "TF_ENABLE_ONEDNN_OPTS", "1"
    ) != "0" and platform.machine() in (
        "x86_64",
        "AMD64",
    )


@dataclass(frozen=True)
class KnownDefect:
    frameworks: tuple[str, ...]
    functions: tuple[str, ...]
    # "value", "gradient", "accuracy", "property" or "convention"; a convention check
    # skips the value and gradient cases recorded here.
    kinds: tuple[str, ...]
    dtypes: tuple[str, ...]
    case_patterns: tuple[str, ...]  # fnmatch patterns over the case id
    reason: str
    reference: str
    versions: str
    applies: Callable[[], bool] = lambda: True
    devices: tuple[str, ...] = ("cpu", "gpu")
    model: Callable | None = None

    def matches(self, framework, function, kind, dtype, case_id, device="cpu"):
        return (
            device in self.devices
            and framework in self.frameworks
            and function in self.functions
            and kind in self.kinds
            and dtype in self.dtypes
            and any(fnmatch.fnmatchcase(case_id, p) for p in self.case_patterns)
            and self.applies()
        )


BOTH = ("float32", "float64")
ALL_DTYPES = ("float16", "bfloat16", "float32", "float64")
ALL_FRAMEWORKS = ("torch", "tensorflow", "jax")
VERSIONS = "torch 2.13.0, tensorflow 2.21.0 with keras 3.15.1, jax 0.10.2"

KNOWN_DEFECTS = [
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("leaky_relu",),
        kinds=("value", "gradient", "accuracy", "property"),
        dtypes=("float64",),
        case_patterns=("*-random", "*-edge", "*-kink", "*-sweep", "*-property"),
        reason=(
            "The LeakyRelu op stores its slope in a float32 attribute ('alpha: float'), "
            "so a float64 input is scaled by float32(0.15) = 0.15000000596, a relative "
            "error of 4e-8 on every negative element, about 2e8 float64 ULP."
        ),
        reference=(
            'tensorflow/core/ops/nn_ops.cc REGISTER_OP("LeakyRelu") '
            '.Attr("alpha: float = 0.2"), as op_def_registry.get("LeakyRelu") shows'
        ),
        versions="tensorflow 2.21.0 (the attribute has been float32 since the op was added)",
        model=defect_models.tensorflow_leaky_relu_float32_slope,
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("softmax",),
        kinds=("value",),
        dtypes=("float32", "bfloat16"),
        case_patterns=("softmax-*-edge",),
        reason=(
            "With oneDNN kernels on (the x86-64 default), float32 and bfloat16 softmax "
            "of a row "
            "holding NaN returns NaN only at that position and 0 elsewhere; the "
            "float64 kernel and TF_ENABLE_ONEDNN_OPTS=0 return NaN for the whole row, "
            "as torch, jax and the reference do."
        ),
        reference=(
            "tensorflow/core/kernels/mkl/mkl_softmax_op.cc registers the oneDNN "
            "kernel for float and bfloat16 only; oneDNN "
            "src/cpu/x64/injectors/jit_uni_eltwise_injector.cpp "
            "exp_compute_vector_fwd clamps with uni_vminps(src, ln(FLT_MAX)), and "
            "MINPS returns its second operand on NaN, so exp(NaN) is inf, the row sum "
            "inf and 1 / sum 0. No upstream issue found (searched 2026-12-04); "
            "reproduce with tf.nn.softmax(tf.constant([[float('nan'), 0.0, 1.0]]))"
        ),
        versions="tensorflow-cpu 2.21.0 on x86-64 Linux",
        applies=_tensorflow_onednn_enabled,
        devices=("cpu",),
        model=defect_models.onednn_softmax_nan_rows,
    ),
    KnownDefect(
        frameworks=ALL_FRAMEWORKS,
        functions=("softsign",),
        kinds=("value",),
        dtypes=ALL_DTYPES,
        case_patterns=("*-infinity",),
        reason=(
            "x / (1 + |x|) is evaluated literally at the infinities: inf / inf = NaN, "
            "where the limits are 1 and -1."
        ),
        reference=(
            "the documented formulas, evaluated as written: torch.nn.functional."
            "softsign docs x / (1 + |x|); tf.nn.softsign docs features / "
            "(abs(features) + 1); jax/_src/nn/functions.py soft_sign"
        ),
        versions=VERSIONS,
        model=defect_models.nan_at_infinities((1, -1)),
    ),
    KnownDefect(
        frameworks=ALL_FRAMEWORKS,
        functions=("silu", "mish"),
        kinds=("value",),
        dtypes=ALL_DTYPES,
        case_patterns=("*-infinity",),
        reason=(
            "x * sigmoid(x) and x * tanh(softplus(x)) are evaluated literally at "
            "x = -inf: -inf * 0 = NaN, where the limit is 0."
        ),
        reference=(
            "the documented formulas, evaluated as written: torch.nn.functional.silu "
            "docs x * sigmoid(x) and mish docs x * tanh(softplus(x)); "
            "jax/_src/nn/functions.py silu and mish"
        ),
        versions=VERSIONS,
        model=defect_models.nan_at_infinities((-1,)),
    ),
    KnownDefect(
        frameworks=("torch",),
        functions=("gelu",),
        kinds=("value",),
        dtypes=("float32", "bfloat16"),
        case_patterns=("gelu-approximate=none-infinity",),
        reason=(
            "The float32 and bfloat16 CPU kernels of the erf form return NaN at both "
            "infinities; "
            "the float64 kernel returns +inf at +inf (the limit) and NaN at -inf."
        ),
        reference=(
            "https://github.com/pytorch/pytorch/issues/185770 (open; fix proposed in "
            "https://github.com/pytorch/pytorch/pull/192318)"
        ),
        versions="torch 2.13.0+cpu",
        model=defect_models.nan_at_infinities((1, -1)),
    ),
    KnownDefect(
        frameworks=ALL_FRAMEWORKS,
        functions=("gelu",),
        kinds=("value",),
        dtypes=ALL_DTYPES,
        case_patterns=("gelu-*-infinity",),
        reason=(
            "Both forms are evaluated literally at x = -inf: 0.5 * x * erfc(-x / "
            "sqrt(2)) and x * 0.5 * (1 + tanh(u)) are -inf * 0 = NaN, where the limit "
            "is 0."
        ),
        reference=(
            "for PyTorch https://github.com/pytorch/pytorch/pull/192318 (open) "
            "describes this -inf * 0; jax/_src/nn/functions.py gelu and "
            "tensorflow/python/ops/nn_ops.py gelu compute the same products"
        ),
        versions=VERSIONS,
        model=defect_models.nan_at_infinities((-1,)),
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("gelu",),
        kinds=("value", "gradient", "property"),
        dtypes=("float64",),
        case_patterns=("gelu-approximate=none-random", "gelu-property"),
        reason=(
            "tf.nn.gelu builds its constants with math_ops.cast(python_float, dtype), "
            "which rounds them to float32 first: 1/sqrt(2) becomes 0.7071067690849304 "
            "and 0.044715 becomes 0.044714998453855515, so float64 results are off by "
            "up to 5e-8 relative."
        ),
        reference=(
            "tensorflow/python/ops/nn_ops.py gelu: "
            "math_ops.cast(0.7071067811865476, features.dtype) and "
            "math_ops.cast(0.044715, features.dtype)"
        ),
        versions="tensorflow 2.21.0",
        model=defect_models.tensorflow_gelu_float32_constants,
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("gelu",),
        kinds=("value", "gradient"),
        dtypes=("float64",),
        case_patterns=("gelu-approximate=tanh-random",),
        reason=(
            "tf.nn.gelu builds its constants with math_ops.cast(python_float, dtype), "
            "which rounds them to float32 first: 1/sqrt(2) becomes 0.7071067690849304 "
            "and 0.044715 becomes 0.044714998453855515, so float64 results are off by "
            "up to 5e-8 relative. The tanh form also cancels in 1 + tanh(u) below x = -5, "
            "so it has no exact model here."
        ),
        reference=(
            "tensorflow/python/ops/nn_ops.py gelu: "
            "math_ops.cast(0.7071067811865476, features.dtype) and "
            "math_ops.cast(0.044715, features.dtype)"
        ),
        versions="tensorflow 2.21.0",
    ),
    KnownDefect(
        frameworks=("jax",),
        functions=("gelu",),
        kinds=("value",),
        dtypes=("float64",),
        case_patterns=("gelu-approximate=tanh-random",),
        reason=(
            "jax.nn.gelu's tanh form computes 0.5 * (1 + tanh(u)), which cancels for "
            "x below about -5: at x = -7.27 it returns -2.8e-15 where the value is "
            "-8.8e-17."
        ),
        reference="jax/_src/nn/functions.py gelu: cdf = 0.5 * (1.0 + jnp.tanh(...))",
        versions="jax 0.10.2",
    ),
    KnownDefect(
        frameworks=("jax", "tensorflow"),
        functions=("gelu",),
        kinds=("gradient",),
        dtypes=BOTH,
        case_patterns=("gelu-approximate=tanh-random",),
        reason=(
            "Autodiff of 0.5 * x * (1 + tanh(u)) forms 1 - tanh(u)**2, which cancels "
            "for x above about 4: the float32 gradient at x = 4.97 is off by 3.4e-6 "
            "(about 30 ULP). PyTorch's dedicated backward kernel does not lose it."
        ),
        reference=(
            "the differentiated forward: jax/_src/nn/functions.py gelu and "
            "tensorflow/python/ops/nn_ops.py gelu, 0.5 * x * (1 + tanh(u))"
        ),
        versions="jax 0.10.2, tensorflow 2.21.0",
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("celu",),
        kinds=("gradient",),
        dtypes=ALL_DTYPES,
        case_patterns=("celu-*-kink",),
        reason=(
            "keras.activations.celu is max(x, 0) + alpha * expm1(min(x, 0) / alpha); "
            "at x = 0 the gradients of tf.maximum (mask x >= y) and tf.minimum (mask "
            "x <= y) both pass through, so the derivative is 2 where CELU's is 1."
        ),
        reference=(
            "keras/src/backend/tensorflow/nn.py celu (Keras 3.15.1) and "
            "tensorflow/python/ops/math_grad.py _MaximumGrad (x >= y) and "
            "_MinimumGrad (x <= y)"
        ),
        versions="keras 3.15.1 on tensorflow 2.21.0",
        model=defect_models.keras_celu_double_gradient_at_zero,
    ),
    KnownDefect(
        frameworks=("torch",),
        functions=("celu",),
        kinds=("gradient",),
        dtypes=("float64",),
        case_patterns=("celu-alpha=0.6-*",),
        reason=(
            "With alpha != 1 the float64 CELU backward is off by about 4e-8 relative "
            "(the derivative at 0 is 0.99999996): the backward divides by alpha "
            "rounded to float32."
        ),
        reference=(
            "tools/autograd/derivatives.yaml celu: elu_backward(grad, alpha, 1, "
            "1.0/alpha.toFloat(), ...), while the forward in "
            "aten/src/ATen/native/Activation.cpp uses double inv_alpha. No upstream "
            "issue found (searched 2026-12-04)"
        ),
        versions="torch 2.13.0+cpu",
        model=defect_models.torch_celu_float32_alpha,
    ),
    KnownDefect(
        frameworks=("torch",),
        functions=("hard_sigmoid",),
        kinds=("gradient",),
        dtypes=("float64",),
        case_patterns=("hard_sigmoid-random",),
        reason=(
            "The float64 hardsigmoid backward multiplies by 1/6 held in float32 "
            "(0.16666667163), a relative error of 3e-8."
        ),
        reference=(
            "aten/src/ATen/native/cpu/Activation.cpp hardsigmoid_backward_kernel: "
            "const scalar_t one_sixth(1.0f / 6.0f). No upstream issue found "
            "(searched 2026-12-04)"
        ),
        versions="torch 2.13.0+cpu",
        model=defect_models.torch_hardsigmoid_float32_sixth,
    ),
    KnownDefect(
        frameworks=("jax", "tensorflow"),
        functions=("gelu",),
        kinds=("accuracy",),
        dtypes=ALL_DTYPES,
        case_patterns=("gelu-approximate=tanh-sweep",),
        reason=(
            "The tanh form is computed as 0.5 * x * (1 + tanh(u)), which cancels for "
            "x below about -3: the result is 0, or wrong in every digit, where the "
            "true value is a normal number (jax float64 returns -2.85e-15 at x = -7.34 "
            "for -3.14e-17; torch and TF return 0 at x = -9.6 in float32 for -7.7e-34)."
        ),
        reference=(
            "jax/_src/nn/functions.py gelu: cdf = 0.5 * (1.0 + jnp.tanh(...)); "
            "tensorflow/python/ops/nn_ops.py gelu: 0.5 * features * (1.0 + "
            "math_ops.tanh(...)); torch.nn.functional.gelu docs give the same form"
        ),
        versions=VERSIONS,
    ),
    KnownDefect(
        frameworks=("torch",),
        functions=("gelu",),
        kinds=("accuracy",),
        dtypes=("bfloat16", "float32", "float64"),
        case_patterns=("gelu-approximate=tanh-sweep",),
        reason=(
            "The tanh form is computed as 0.5 * x * (1 + tanh(u)), which cancels for "
            "x below about -3: the result is 0, or wrong in every digit, where the "
            "true value is a normal number (jax float64 returns -2.85e-15 at x = -7.34 "
            "for -3.14e-17; torch and TF return 0 at x = -9.6 in float32 for -7.7e-34)."
        ),
        reference=(
            "torch.nn.functional.gelu docs: the tanh approximation "
            "0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))"
        ),
        versions=VERSIONS,
    ),
    KnownDefect(
        frameworks=("torch",),
        functions=("gelu",),
        kinds=("accuracy",),
        dtypes=("bfloat16", "float32", "float64"),
        case_patterns=("gelu-approximate=none-sweep",),
        reason=(
            "The erf form loses the tail for x below about -5: it returns 0 at "
            "x = -11.6 in float32 (true value -3.2e-30) and at x = -11.1 in float64 "
            "(true value -8.6e-50), consistent with computing 1 + erf(x / sqrt(2))."
        ),
        reference=(
            "https://github.com/pytorch/pytorch/issues/187806 (open): gelu computes "
            "1 + erf(x / sqrt(2)), which cancels in the negative tail"
        ),
        versions="torch 2.13.0+cpu",
    ),
    KnownDefect(
        frameworks=("jax", "tensorflow"),
        functions=("gelu",),
        kinds=("accuracy",),
        dtypes=ALL_DTYPES,
        case_patterns=("gelu-approximate=none-sweep",),
        reason=(
            "The erf form 0.5 * x * erfc(-x / sqrt(2)) rounds -x / sqrt(2) before "
            "erfc, whose relative condition number is about 2z^2: jax float64 is off "
            "by 1300 ULP at x = -29.5, and in float32 both return 0 at x = -13.09 "
            "for -2.3e-38, just above the underflow threshold. TF float64 also uses a "
            "float32-rounded 1/sqrt(2) (1.4e11 ULP at x = -29.9). In float16 both "
            "compute in float16 and are off by 15 ULP at x = -4."
        ),
        reference=(
            "jax/_src/nn/functions.py gelu and tensorflow/python/ops/nn_ops.py gelu: "
            "erfc(-x * sqrt_half)"
        ),
        versions="jax 0.10.2, tensorflow 2.21.0",
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("elu", "selu"),
        kinds=("accuracy",),
        dtypes=ALL_DTYPES,
        case_patterns=("*-sweep",),
        reason=(
            "TensorFlow's Elu and Selu kernels compute exp(x) - 1 rather than "
            "expm1(x), which cancels near 0: elu(-1.5e-8) is 0 in float32, and in "
            "float64 it keeps only about 8 of 16 digits at x = -1e-8."
        ),
        reference="https://github.com/tensorflow/tensorflow/issues/116943 (open)",
        versions="tensorflow 2.21.0",
    ),
    KnownDefect(
        frameworks=("jax", "tensorflow"),
        functions=("hard_swish",),
        kinds=("gradient",),
        dtypes=("bfloat16",),
        case_patterns=("hard_swish-random",),
        reason=(
            "The gradient is computed in bfloat16, where x + 3 rounds to 6 for x in "
            "(2.98, 3): relu6's derivative there is 0, so hard_swish's derivative is "
            "1 instead of (2x + 3) / 6, about 1.5."
        ),
        reference=(
            "the differentiated forward, x * relu6(x + 3) / 6 in the input's dtype: "
            "jax/_src/nn/functions.py hard_silu and hard_sigmoid, "
            "keras/src/backend/tensorflow/nn.py hard_silu and hard_sigmoid"
        ),
        versions="jax 0.10.2, keras 3.15.1 on tensorflow 2.21.0",
    ),
    KnownDefect(
        frameworks=("jax",),
        functions=("silu",),
        kinds=("accuracy",),
        dtypes=("float16",),
        case_patterns=("silu-sweep",),
        reason=(
            "jax.nn.silu computes sigmoid(x) in float16, where it is subnormal below "
            "x = -9.7, so x * sigmoid(x) loses its digits while the result is still a "
            "normal float16: it returns 0 at x = -11.45 for -1.2e-4."
        ),
        reference=(
            "jax/_src/nn/functions.py silu: x * sigmoid(x) in the input's dtype"
        ),
        versions="jax 0.10.2",
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("celu",),
        kinds=("value",),
        dtypes=BOTH,
        case_patterns=("celu-*-edge",),
        reason=(
            "keras.activations.celu(-0.0) is +0.0 in arrays of 8 or more elements and "
            "-0.0 in shorter ones: the vectorized tf.maximum and tf.minimum kernels "
            "pick the other zero on a tie. tf.nn.relu and tf.nn.relu6 do the same, "
            "but their exact value at -0.0 is +0.0, which the long arrays here match."
        ),
        reference=(
            "tensorflow/core/kernels/relu_op_functor.h and cwise_ops.h maximum use "
            "Eigen's max with PropagateNaN; Eigen/src/Core/arch/AVX/PacketMath.h "
            "pmax<Packet8f> is _mm256_max_ps(b, a) behind pminmax_propagate_nan's "
            "op(b, a), so packets return +0 on a tie, while the scalar tail uses "
            "std::max and keeps -0. No upstream issue found (searched 2026-12-04); "
            "reproduce with tf.nn.relu(tf.constant([-0.0] * 8)) against "
            "tf.nn.relu(tf.constant([-0.0]))"
        ),
        versions="tensorflow-cpu 2.21.0 on x86-64 Linux",
        model=defect_models.positive_zero,
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("relu", "relu6", "celu"),
        kinds=("value",),
        dtypes=("float16", "bfloat16"),
        case_patterns=("*-edge",),
        reason=(
            "In float16 and bfloat16, tf.nn.relu, tf.nn.relu6 and "
            "keras.activations.celu return -0.0 for -0.0 whatever the array length, "
            "where relu(-0.0) and relu6(-0.0) are +0.0; in float32 and float64 the "
            "sign depends on the array length (see the celu entry above)."
        ),
        reference=(
            "Eigen/src/Core/arch/AVX/PacketMath.h pmax<Packet8h> converts to float "
            "and has no PropagateNaN specialization, so TF's Relu functor "
            "(tensorflow/core/kernels/relu_op_functor.h, cwiseMax<PropagateNaN>) "
            "takes Eigen's generic path, numext::maxi(a, b), which keeps -0. No "
            "upstream issue found (searched 2026-12-04)"
        ),
        versions="tensorflow-cpu 2.21.0 on x86-64 Linux",
        model=defect_models.negative_zero_kept,
    ),
    KnownDefect(
        frameworks=("torch",),
        functions=("log_sigmoid",),
        kinds=("value",),
        dtypes=ALL_DTYPES,
        case_patterns=("log_sigmoid-edge", "log_sigmoid-infinity"),
        reason=(
            "torch.nn.functional.logsigmoid returns +0.0 where the value is negative "
            "but rounds to zero (x = +inf, or large x): log(sigmoid(x)) < 0 for every x, "
            "so the rounded result is -0.0."
        ),
        reference=(
            "aten/src/ATen/native/cpu/Activation.cpp _vec_log_sigmoid: "
            "minimum(x, 0) - log1p(exp(-|x|)), which is +0 - +0 = +0.0 once exp "
            "underflows. No upstream issue found (searched 2026-12-04)"
        ),
        versions="torch 2.13.0+cpu",
        model=defect_models.positive_zero,
    ),
    KnownDefect(
        frameworks=("torch",),
        functions=("hard_swish",),
        kinds=("value",),
        dtypes=("bfloat16", "float32", "float64"),
        case_patterns=("hard_swish-edge",),
        reason=(
            "hardswish overflows in an intermediate product for huge x: at "
            "x = 1.5e308 (float64) or the largest float32 it returns inf where "
            "x * relu6(x + 3) / 6 = x; float16 is computed in float32 and is right."
        ),
        reference=(
            "aten/src/ATen/native/cpu/Activation.cpp hardswish_kernel: "
            "x * clamp(x + 3, 0, 6) / 6, so x * 6 overflows before the division for "
            "x above a sixth of the dtype's maximum. No upstream issue found "
            "(searched 2026-12-04)"
        ),
        versions="torch 2.13.0+cpu",
    ),
    KnownDefect(
        frameworks=("torch",),
        functions=("gelu",),
        kinds=("value",),
        dtypes=("bfloat16", "float32"),
        case_patterns=("gelu-approximate=none-edge",),
        reason=(
            "The oneDNN erf form computes x * (1 + erf(x / sqrt(2))) before halving "
            "it, which overflows for x above about 1.7e38: it returns inf where "
            "gelu(x) = x. torch uses oneDNN only for contiguous float32 and bfloat16 "
            "tensors of more than one element; float64 and float16 are right."
        ),
        reference=(
            "aten/src/ATen/native/Activation.cpp gelu_out_cpu calls "
            "ideep::algorithm::eltwise_gelu_erf when use_mkldnn(self); oneDNN "
            "jit_uni_eltwise_injector.cpp gelu_erf_minimax_approx_compute_vector_fwd "
            "multiplies x by (1 + erf) and then by 0.5. No upstream issue found "
            "(searched 2026-12-04); reproduce with "
            "torch.nn.functional.gelu(torch.tensor([3.4e38, 1.0]))"
        ),
        versions="torch 2.13.0+cpu",
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("sigmoid_cross_entropy_with_logits", "binary_crossentropy"),
        kinds=("value",),
        dtypes=BOTH,
        case_patterns=(
            "sigmoid_cross_entropy_with_logits-*-nonfinite",
            "binary_crossentropy-from_logits=True-*nonfinite",
        ),
        reason=(
            "tf.nn.sigmoid_cross_entropy_with_logits evaluates max(z, 0) - z t + "
            "log1p(exp(-|z|)) as written, so z = +inf gives inf - inf = NaN where the "
            "loss is +inf for t < 1."
        ),
        reference=(
            "tf.nn.sigmoid_cross_entropy_with_logits docs give that formula; "
            "tensorflow/python/ops/nn_impl.py sigmoid_cross_entropy_with_logits "
            "computes relu_logits - logits * labels + log1p(exp(neg_abs_logits))"
        ),
        versions="tensorflow 2.21.0",
        model=defect_models.tensorflow_sigmoid_cross_entropy_literal,
    ),
    KnownDefect(
        frameworks=("jax",),
        functions=("sigmoid_cross_entropy_with_logits", "binary_crossentropy"),
        kinds=("value",),
        dtypes=BOTH,
        case_patterns=(
            "sigmoid_cross_entropy_with_logits-*-nonfinite",
            "binary_crossentropy-from_logits=True-*nonfinite",
        ),
        reason=(
            "optax computes -t log_sigmoid(z) - (1 - t) log_sigmoid(-z), so an infinite "
            "label gives inf - inf = NaN where the loss is -inf or +inf."
        ),
        reference="optax/losses/_classification.py sigmoid_binary_cross_entropy",
        versions="optax 0.2.8 on jax 0.10.2",
        model=defect_models.optax_sigmoid_cross_entropy_literal,
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("log_cosh",),
        kinds=("value",),
        dtypes=("float64",),
        case_patterns=("log_cosh-*",),
        reason=(
            "keras.losses.log_cosh computes d + softplus(-2 d) - log(2) with log(2) "
            "from ops.log(2.0), a float32 value, so every float64 element is "
            "1.9e-9 low (log_cosh(0) is negative); d = -inf gives -inf + inf = NaN."
        ),
        reference="keras/src/losses/losses.py log_cosh (Keras 3.15.1)",
        versions="keras 3.15.1 on tensorflow 2.21.0",
        model=defect_models.keras_log_cosh_literal,
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("log_cosh",),
        kinds=("value",),
        dtypes=("float32",),
        case_patterns=("log_cosh-*-nonfinite",),
        reason=(
            "keras.losses.log_cosh computes d + softplus(-2 d) - log(2), so d = -inf "
            "gives -inf + inf = NaN where the loss is +inf."
        ),
        reference="keras/src/losses/losses.py log_cosh (Keras 3.15.1)",
        versions="keras 3.15.1 on tensorflow 2.21.0",
        model=defect_models.keras_log_cosh_literal,
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("weighted_sigmoid_cross_entropy",),
        kinds=("gradient",),
        dtypes=BOTH,
        case_patterns=("weighted_sigmoid_cross_entropy-*-extreme_logits",),
        reason=(
            "At z = 0 exactly the gradient is 1 - t instead of (1 - t) - "
            "(1 + (w - 1) t) / 2: the op adds log1p(exp(-|z|)) and relu(-z), and the "
            "gradients of abs and relu at 0 are both 0."
        ),
        reference=(
            "tensorflow/python/ops/nn_impl.py weighted_cross_entropy_with_logits: "
            "log1p(exp(-abs(logits))) + nn_ops.relu(-logits)"
        ),
        versions="tensorflow 2.21.0",
        model=defect_models.tensorflow_weighted_cross_entropy_gradient_at_zero,
    ),
    KnownDefect(
        frameworks=("torch",),
        functions=("binary_crossentropy",),
        kinds=("value",),
        dtypes=BOTH,
        case_patterns=("binary_crossentropy-from_logits=False-*nonfinite",),
        reason=(
            "torch.nn.functional.binary_cross_entropy raises RuntimeError ('all "
            "elements of input should be between 0 and 1') for a NaN or infinite "
            "probability, where the other frameworks return NaN."
        ),
        reference=(
            "aten/src/ATen/native/Loss.cpp binary_cross_entropy_out_cpu: "
            "TORCH_CHECK(input_val >= 0 && input_val <= 1, ...)"
        ),
        versions="torch 2.13.0+cpu",
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("categorical_crossentropy",),
        kinds=("value", "gradient"),
        dtypes=BOTH,
        case_patterns=("categorical_crossentropy-*-axis=1-label_smoothing=*",),
        reason=(
            "With a class axis other than the last, label smoothing still divides by "
            "the size of the last axis: labels become t (1 - ls) + ls / k_last, not "
            "ls / k. They no longer sum to 1, and the gradient, softmax(z) - t, is "
            "then not the derivative of the loss."
        ),
        reference=(
            "keras/src/losses/losses.py categorical_crossentropy: num_classes = "
            "ops.cast(ops.shape(y_true)[-1], ...), whatever axis is (Keras 3.15.1)"
        ),
        versions="keras 3.15.1 on tensorflow 2.21.0",
        model=defect_models.keras_smoothing_over_last_axis,
    ),
    KnownDefect(
        frameworks=("torch", "tensorflow", "jax"),
        functions=("categorical_crossentropy", "softmax_cross_entropy_with_logits"),
        kinds=("value",),
        dtypes=BOTH,
        case_patterns=("*-from_logits=True-*nonfinite", "softmax_cross_*-nonfinite"),
        reason=(
            "A +inf logit makes the sample's loss NaN: logsumexp(z) is computed as "
            "m + log(sum(exp(z - m))) with m = max(z) = inf, and inf - inf is NaN. The "
            "limit is 0 where the label's class holds the +inf logit and +inf "
            "otherwise."
        ),
        reference=(
            "torch.nn.CrossEntropyLoss docs: LogSoftmax followed by NLLLoss; "
            "tensorflow/core/kernels/xent_op.h XentEigenImpl: logits - max(logits); "
            "jax/_src/nn/functions.py log_softmax: shifted = x - max(x), used by "
            "optax.losses.softmax_cross_entropy"
        ),
        versions=VERSIONS + ", optax 0.2.8",
        model=defect_models.nan_rows_with_positive_infinite_logit,
    ),
    KnownDefect(
        frameworks=("torch", "tensorflow"),
        functions=("sparse_categorical_crossentropy",),
        kinds=("value",),
        dtypes=BOTH,
        case_patterns=("*-from_logits=True-*nonfinite",),
        reason=(
            "A +inf logit makes the sample's loss NaN (inf - inf in logsumexp), as in "
            "the soft-label cross-entropies; optax's integer-label form returns the "
            "limit, +inf."
        ),
        reference=(
            "torch.nn.CrossEntropyLoss docs: LogSoftmax followed by NLLLoss; "
            "no TensorFlow source opened; reproduce with "
            "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1], "
            "logits=[[float('inf'), 0.0]]), which is NaN, not inf"
        ),
        versions="torch 2.13.0, tensorflow 2.21.0 with keras 3.15.1",
        model=defect_models.nan_rows_with_positive_infinite_logit,
    ),
    KnownDefect(
        frameworks=("tensorflow",),
        functions=("categorical_crossentropy", "softmax_cross_entropy_with_logits"),
        kinds=("gradient",),
        dtypes=BOTH,
        case_patterns=(
            "*from_logits=True-*unnormalized",
            "softmax_cross_*-unnormalized",
        ),
        reason=(
            "The gradient of tf.nn.softmax_cross_entropy_with_logits is softmax(z) - t, "
            "the derivative only where each row of t sums to 1; for soft targets that "
            "sum to s it misses (s - 1) softmax(z)."
        ),
        reference=(
            "tf.nn.softmax_cross_entropy_with_logits docs: each row of labels must be "
            "a valid probability distribution, 'otherwise, the computation of the "
            "gradient will be incorrect'"
        ),
        versions="tensorflow 2.21.0 with keras 3.15.1",
        model=defect_models.tensorflow_softmax_cross_entropy_gradient,
    ),
]


def find_defect(framework, function, kind, dtype, case_id, device="cpu"):
    """Return the recorded defect for this cell, or None."""
    for defect in KNOWN_DEFECTS:
        if defect.matches(framework, function, kind, dtype, case_id, device):
            return defect
    return None
