"""Recorded framework defects: differences from the reference that no variant explains.

Each entry is asserted as a strict expected failure, so the run stays green while the
defect is there and turns red (XPASS) when a release fixes it; the entry must then be
removed. Each says why it happens, where upstream it is documented or how to reproduce
it, and the versions it was seen on.
"""

import fnmatch
import os
import platform
from dataclasses import dataclass
from typing import Callable


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
    framework: str
    function: str
    kinds: tuple[str, ...]  # "value", "gradient", "convention"
    dtypes: tuple[str, ...]
    case_pattern: str  # fnmatch pattern over the case id
    reason: str
    reference: str
    versions: str
    applies: Callable[[], bool] = lambda: True

    def matches(self, framework, function, kind, dtype, case_id):
        return (
            framework == self.framework
            and function == self.function
            and kind in self.kinds
            and dtype in self.dtypes
            and fnmatch.fnmatchcase(case_id, self.case_pattern)
            and self.applies()
        )


KNOWN_DEFECTS = [
    KnownDefect(
        framework="tensorflow",
        function="leaky_relu",
        kinds=("value", "gradient", "convention"),
        dtypes=("float64",),
        case_pattern="leaky_relu-*",
        reason=(
            "The LeakyRelu op stores its slope in a float32 attribute ('alpha: float'), "
            "so a float64 input is scaled by float32(0.15) = 0.15000000596, a relative "
            "error of 4e-8 on every negative element, about 2e8 float64 ULP."
        ),
        reference=(
            'tensorflow/core/ops/nn_ops.cc REGISTER_OP("LeakyRelu") '
            '.Attr("alpha: float = 0.2"); https://github.com/tensorflow/tensorflow/pull/122771'
        ),
        versions="tensorflow 2.21.0 (the attribute has been float32 since the op was added)",
    ),
    KnownDefect(
        framework="tensorflow",
        function="softmax",
        kinds=("value",),
        dtypes=("float32",),
        case_pattern="softmax-*-edge",
        reason=(
            "With oneDNN kernels on (the x86-64 default), float32 softmax of a row "
            "holding NaN returns NaN only at that position and 0 elsewhere; the "
            "float64 kernel and TF_ENABLE_ONEDNN_OPTS=0 return NaN for the whole row, "
            "as torch, jax and the reference do."
        ),
        reference=(
            "no upstream report found (searched 2026-12-04); reproduce with "
            "tf.nn.softmax(tf.constant([[float('nan'), 0.0, 1.0]]))"
        ),
        versions="tensorflow-cpu 2.21.0 on x86-64 Linux",
        applies=_tensorflow_onednn_enabled,
    ),
]


def find_defect(framework, function, kind, dtype, case_id):
    """Return the recorded defect for this cell, or None."""
    for defect in KNOWN_DEFECTS:
        if defect.matches(framework, function, kind, dtype, case_id):
            return defect
    return None
