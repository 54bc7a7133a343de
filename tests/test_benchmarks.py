"""Speed: ELU forward on one million float32 elements per framework (pytest-benchmark).

Timings are recorded, never asserted: the machines are shared and noisy, so compare
the ratios between frameworks measured in one run. Each benchmark also checks the
values it timed, so a fast wrong result cannot pass.
"""

import numpy as np
import pytest

from harness.compare import compare
from harness.pytest_plugin import skip_cell
from harness.tolerances import tolerance
from reference import get_function

ELEMENTS = 1_000_000
DTYPE = "float32"
PARAMS = {"alpha": 1.0}


@pytest.mark.benchmark(group=f"elu forward, {ELEMENTS:,} {DTYPE}")
def test_elu_forward_speed(request, record_cell, adapter, device, benchmark):
    record_cell(
        kind="benchmark",
        function="elu",
        dtype=DTYPE,
        case=f"elu-{ELEMENTS}-random",
        elements=ELEMENTS,
    )
    if not adapter.provides("elu"):
        skip_cell(request, "not_provided", f"{adapter.name} provides no elu")
    record_cell(api=adapter.api("elu"))
    x = np.random.default_rng(0).standard_normal(ELEMENTS).astype(DTYPE)
    run = adapter.timed_callable("elu", [x], PARAMS, DTYPE, device)
    run()  # warm-up: JAX compiles here, outside the timed loop

    result = adapter.module.to_numpy(benchmark(run))

    if benchmark.stats:  # None under --benchmark-disable
        stats = benchmark.stats.stats
        record_cell(
            median_s=stats.median,
            min_s=stats.min,
            mean_s=stats.mean,
            stddev_s=stats.stddev,
            rounds=stats.rounds,
        )
    rtol, atol, _ = tolerance("elu", adapter.name, DTYPE)
    expected = get_function("elu").exact.forward(x.astype(np.float64), **PARAMS)
    comparison = compare(result, expected, rtol, atol, DTYPE)
    assert comparison.ok, (
        f"timed elu on {adapter.name} is wrong: worst at {comparison.worst_index}"
    )
