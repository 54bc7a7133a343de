"""Inputs and expected values: documented examples, seeded random sets, edge values."""
