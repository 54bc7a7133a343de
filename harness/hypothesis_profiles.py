"""Hypothesis profiles for the property sweep.

"ci", the default, is derandomized: the same examples every run, so CI is repeatable.
"long" searches afresh with many more examples, for local hunting:
``pytest tests/test_property_sweep.py --hypothesis-profile=long``.
"""

from hypothesis import HealthCheck, settings

# The sweep's tests take the session's adapter fixtures, which hold no per-example
# state, so reusing them across examples is safe.
_SHARED = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
}
settings.register_profile("ci", max_examples=25, derandomize=True, **_SHARED)
settings.register_profile("long", max_examples=2_000, **_SHARED)
settings.load_profile("ci")
