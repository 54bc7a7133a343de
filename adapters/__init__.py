"""Framework adapters: discovery, loading, and the calls the harness makes through them.

Each framework is one module in this package (``adapters/<framework>.py``) that
defines the names in ``REQUIRED_ATTRIBUTES``; see ``adapters/numpy.py`` for the
smallest one. A module outside the package can be loaded by its dotted import path.
"""

import importlib
import pkgutil

import numpy as np

from reference import EXACT, get_function

REQUIRED_ATTRIBUTES = (
    "NAME",  # the framework name used in options, ids and the report
    "DTYPES",  # dtype names the adapter supports
    "FUNCTIONS",  # canonical name -> adapters.spec.Op
    "VARIANTS",  # canonical name -> reference variant name, where not "exact"
    "version",  # () -> str
    "device_unavailable_reason",  # (device) -> str or None
    "to_tensor",  # (np.ndarray, dtype name, device) -> tensor
    "to_numpy",  # (tensor) -> np.ndarray
    "vjp",  # (forward, x, v, **params) -> gradient tensor, by autodiff
    "synchronize",  # (tensor) -> tensor, once the device has finished computing it
)
_NOT_ADAPTERS = {"spec"}


class FrameworkNotInstalled(Exception):
    """The framework an adapter wraps cannot be imported."""

    def __init__(self, framework, reason):
        super().__init__(f"{framework} is not installed: {reason}")
        self.framework = framework
        self.reason = reason


def known_frameworks():
    """Return the framework names that have an adapter module in this package."""
    return sorted(
        module.name
        for module in pkgutil.iter_modules(__path__)
        if module.name not in _NOT_ADAPTERS and not module.name.startswith("_")
    )


def load(name):
    """Import the adapter for ``name``, a framework name or a dotted module path.

    Raises FrameworkNotInstalled when the framework itself is missing,
    ModuleNotFoundError for a module path that does not exist, and ValueError for a
    module that breaks the adapter contract.
    """
    is_framework = name in known_frameworks()
    module_path = f"{__name__}.{name}" if is_framework else name
    try:
        module = importlib.import_module(module_path)
    except ModuleNotFoundError as error:
        missing = (error.name or "").split(".")[0]
        if not is_framework or missing in ("", "adapters"):
            raise
        raise FrameworkNotInstalled(
            name, f"import of {error.name!r} failed ({error})"
        ) from error
    return Adapter(module)


def _validate(module):
    missing = [
        attribute for attribute in REQUIRED_ATTRIBUTES if not hasattr(module, attribute)
    ]
    if missing:
        raise ValueError(
            f"adapter module {module.__name__} lacks {', '.join(missing)}; "
            f"an adapter defines all of {', '.join(REQUIRED_ATTRIBUTES)}"
        )
    for function_name in module.FUNCTIONS:
        get_function(function_name)  # raises KeyError naming the unknown function
    for function_name, variant in module.VARIANTS.items():
        if function_name not in module.FUNCTIONS:
            raise ValueError(
                f"adapter {module.NAME} declares a variant for {function_name!r}, "
                "which it does not provide"
            )
        get_function(function_name).variant(variant)  # raises KeyError if unknown
    _validate_label_outcomes(module)


LABEL_OUTCOMES = ("raises", "nan", "wraps")


def _validate_label_outcomes(module):
    declared = getattr(module, "OUT_OF_RANGE_LABELS", {})
    if not isinstance(declared, dict):
        raise ValueError(
            f"adapter {module.NAME} OUT_OF_RANGE_LABELS is {declared!r:.80}; declare a "
            "dict that maps each loss with integer labels to its outcomes"
        )
    for function_name, outcomes in declared.items():
        where = f"adapter {module.NAME} OUT_OF_RANGE_LABELS[{function_name!r}]"
        if function_name not in module.FUNCTIONS:
            raise ValueError(f"{where}: the adapter does not provide {function_name!r}")
        if not isinstance(outcomes, dict) or set(outcomes) != {"k", "-1"}:
            raise ValueError(
                f"{where} is {outcomes!r}; declare a dict with the keys 'k' and '-1'"
            )
        for label, outcome in outcomes.items():
            if outcome not in LABEL_OUTCOMES:
                raise ValueError(
                    f"{where}[{label!r}] is {outcome!r}; use one of {LABEL_OUTCOMES}"
                )


class Adapter:
    """The harness's view of one adapter module: numpy arrays in, numpy arrays out."""

    def __init__(self, module):
        _validate(module)
        self.module = module
        self.name = module.NAME
        self.dtypes = tuple(module.DTYPES)

    def version(self):
        return self.module.version()

    def provides(self, function_name):
        return function_name in self.module.FUNCTIONS

    def api(self, function_name):
        return self.module.FUNCTIONS[function_name].api

    def unsupported_params(self, function_name, params):
        """Return what in ``params`` this framework's entry point lacks: parameter
        names, or the reason its ``rejects`` gives for the combination of values."""
        op = self.module.FUNCTIONS[function_name]
        missing = [] if op.defaults is None else sorted(set(params) - set(op.defaults))
        if missing or op.rejects is None:
            return missing
        reason = op.rejects(params)
        return [reason] if reason else []

    def defaults(self, function_name):
        """Return the framework's default parameters, or None when not declared."""
        return self.module.FUNCTIONS[function_name].defaults

    def out_of_range_labels(self, function_name):
        """Return the declared outcome of the labels k and -1: {"k": ..., "-1": ...},
        each "raises", "nan" or "wraps" (taken as label + k), or None."""
        declared = getattr(self.module, "OUT_OF_RANGE_LABELS", {})
        return declared.get(function_name)

    def variant(self, function_name):
        """Return the reference variant this framework is declared to follow."""
        return self.module.VARIANTS.get(function_name, EXACT)

    def device_unavailable_reason(self, device):
        return self.module.device_unavailable_reason(device)

    def _tensors(self, arrays, dtype, device):
        # Integer arrays (class labels) stay integer: they go over as int64.
        tensors = []
        for array in arrays:
            # A copy, because torch.as_tensor shares a float64 buffer: a framework that
            # writes into its input must not change the reference's inputs.
            array = np.array(array)
            array_dtype = "int64" if array.dtype.kind in "iu" else dtype
            tensors.append(self.module.to_tensor(array, array_dtype, device))
        return tensors

    def forward(self, function_name, arrays, params, dtype, device="cpu"):
        """Compute ``function_name`` on ``arrays`` cast to ``dtype``; return numpy."""
        op = self.module.FUNCTIONS[function_name]
        result = op.forward(*self._tensors(arrays, dtype, device), **params)
        return self.module.to_numpy(self.module.synchronize(result))

    def vjp(self, function_name, x, v, params, dtype, device="cpu", others=()):
        """Back-propagate cotangent ``v`` through ``function_name`` at ``x``; return numpy.

        ``others`` are the further inputs (a loss's labels), held constant.
        """
        op = self.module.FUNCTIONS[function_name]
        x_tensor, v_tensor, *other_tensors = self._tensors(
            [x, v, *others], dtype, device
        )
        if op.vjp is not None:
            gradient = op.vjp(x_tensor, v_tensor, *other_tensors, **params)
        else:

            def forward(first, **keywords):
                return op.forward(first, *other_tensors, **keywords)

            gradient = self.module.vjp(forward, x_tensor, v_tensor, **params)
        return self.module.to_numpy(self.module.synchronize(gradient))

    def timed_callable(self, function_name, arrays, params, dtype, device="cpu"):
        """Return a no-argument callable that computes the function on tensors already
        on the device and waits for the result, for a benchmark's timed loop."""
        op = self.module.FUNCTIONS[function_name]
        tensors = self._tensors(arrays, dtype, device)
        synchronize = self.module.synchronize

        def run():
            return synchronize(op.forward(*tensors, **params))

        return run
