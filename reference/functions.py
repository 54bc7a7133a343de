"""The function and variant records the registry is made of."""

from dataclasses import dataclass, field
from typing import Callable

EXACT = "exact"


@dataclass(frozen=True)
class Variant:
    forward: Callable
    source: str
    description: str
    vjp: Callable | None = None
    # True when the definition depends on the dtype computed in, such as clip bounds
    # rounded to it; the harness then passes clip_dtype=<dtype name>.
    takes_dtype: bool = False

    def evaluate(self, *inputs, dtype, **params):
        """Evaluate the variant in float64 on inputs already rounded to ``dtype``."""
        if self.takes_dtype:
            params = {**params, "clip_dtype": dtype}
        return self.forward(*inputs, **params)

    def gradient(self, first, cotangent, *others, dtype, **params):
        """Return the vector-Jacobian product with respect to the first input."""
        if self.takes_dtype:
            params = {**params, "clip_dtype": dtype}
        return self.vjp(first, cotangent, *others, **params)


@dataclass(frozen=True)
class ReferenceFunction:
    name: str
    family: str  # "activation" or "loss"
    inputs: tuple[str, ...]  # argument names, in call order
    variants: dict[str, Variant] = field(default_factory=dict)

    @property
    def exact(self) -> Variant:
        return self.variants[EXACT]

    def variant(self, name: str) -> Variant:
        try:
            return self.variants[name]
        except KeyError:
            raise KeyError(
                f"{self.name} has no variant {name!r}; known: {sorted(self.variants)}"
            ) from None
