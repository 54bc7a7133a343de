"""One set of inputs and explicit parameters for one function."""

from dataclasses import dataclass, field

from reference import FUNCTIONS


@dataclass(frozen=True)
class Case:
    function: str
    regime: str  # what the inputs stress: "random", "edge", "kink", "saturated", ...
    params: dict = field(default_factory=dict)
    seed: int = 0
    arrays: tuple = ()  # float64 inputs in the function's argument order

    @property
    def id(self) -> str:
        # A list (sample or class weights) is named by its key, not spelled out.
        parts = [
            self.function,
            *(k if isinstance(v, list) else f"{k}={v}" for k, v in self.params.items()),
            self.regime,
        ]
        return "-".join(parts)

    @property
    def inputs(self) -> dict:
        """Map argument names (``x`` or ``y_pred``, ``y_true``) to the arrays."""
        return dict(zip(FUNCTIONS[self.function].inputs, self.arrays))
