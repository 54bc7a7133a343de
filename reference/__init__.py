"""NumPy float64 reference implementations of the functions nnparity checks."""

from reference.registry import (
    EXACT,
    FUNCTIONS,
    ReferenceFunction,
    Variant,
    get_function,
)

__all__ = ["EXACT", "FUNCTIONS", "ReferenceFunction", "Variant", "get_function"]
