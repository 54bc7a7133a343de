"""Turn a run's results file into a self-contained HTML comparison report."""
