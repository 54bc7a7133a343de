"""Comparison, tolerances and the pytest plumbing shared by the test modules."""
