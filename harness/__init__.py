"""Comparison, tolerances and the pytest plumbing shared by the test modules."""

# Registers bfloat16 with NumPy, so np.dtype("bfloat16") works for every adapter.
import ml_dtypes  # noqa: F401
