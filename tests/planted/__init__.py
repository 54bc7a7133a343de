"""Deliberately wrong adapters that the self-tests plant to prove the suite fails."""
