"""Render a results document as one self-contained HTML page (inline CSS, no scripts)."""

from collections import defaultdict
from html import escape

# Worst first: a cell of several cases shows the worst status among them.
STATUS_ORDER = (
    "failed",
    "xpassed",
    "xfailed",
    "known_defect",
    "passed",
    "not_provided",
    "not_installed",
    "device_unavailable",
    "skipped",
)
STATUS_LABELS = {
    "failed": "FAILED",
    "xpassed": "FIXED? (known defect passed)",
    "xfailed": "known defect",
    "known_defect": "known defect (matches its model)",
    "passed": "passed",
    "not_provided": "not provided",
    "not_installed": "not installed",
    "device_unavailable": "no device",
    "skipped": "skipped",
}
CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 3px 7px; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; max-width: 40em; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.failed { background: #f8c4c4; } .xpassed { background: #f8dca0; }
.xfailed, .known_defect { background: #fff1b8; } .passed { background: #d5f0d5; }
.not_provided, .skipped, .device_unavailable { background: #eee; color: #666; }
.not_installed { background: #e4e4f4; color: #555; }
small { color: #555; } pre { white-space: pre-wrap; background: #f7f7f7; padding: 0.5em; }
"""


def _worst(statuses):
    return min(statuses, key=STATUS_ORDER.index) if statuses else "skipped"


def _number(value, digits=3):
    if value is None:
        return ""
    if isinstance(value, str):  # "inf" or "nan" as written by the results writer
        return value
    return f"{value:.{digits}g}"


def _framework_names(document):
    return list(document["environment"]["frameworks"])


def _cells(document, kind):
    return [cell for cell in document["cells"] if cell.get("kind") == kind]


def _td(status, text, title=""):
    title_attribute = f' title="{escape(title)}"' if title else ""
    return f'<td class="{status}"{title_attribute}>{text}</td>'


def _environment_section(document):
    env = document["environment"]
    rows = [
        ("created", document.get("created", "")),
        ("command", document.get("command", "")),
        ("python", env["python"]),
        ("numpy", env["numpy"]),
        ("platform", env["platform"]),
        ("processor", env.get("processor", "")),
        ("device", env["device"]),
    ]
    rows += [(name, value) for name, value in env.get("settings", {}).items()]
    html = ["<h2>Environment</h2><table>"]
    html += [f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows]
    html.append("</table><table><tr><th>framework</th><th>version</th></tr>")
    for name, info in env["frameworks"].items():
        if info["installed"]:
            html.append(
                f"<tr><td>{escape(name)}</td><td>{escape(info['version'])}</td></tr>"
            )
        else:
            text = f"not installed: {escape(info['reason'])}"
            html.append(
                f'<tr><td>{escape(name)}</td><td class="not_installed">{text}</td></tr>'
            )
    html.append("</table>")
    return "\n".join(html)


def _summary_section(document):
    counts = defaultdict(lambda: defaultdict(int))
    for cell in document["cells"]:
        counts[cell.get("framework", "?")][cell["status"]] += 1
    # Cells of the harness's own checks (mpmath, self-tests) carry no framework.
    others = sorted(set(counts) - set(_framework_names(document)), key=str)
    html = ["<h2>Summary</h2><table><tr><th>framework</th>"]
    html += [f"<th>{STATUS_LABELS[s]}</th>" for s in STATUS_ORDER]
    html.append("</tr>")
    for framework in _framework_names(document) + others:
        label = "harness checks" if framework == "?" else framework
        html.append(f"<tr><td>{escape(label)}</td>")
        for status in STATUS_ORDER:
            count = counts[framework][status]
            html.append(
                _td(status if count else "", str(count)) if count else "<td></td>"
            )
        html.append("</tr>")
    html.append("</table>")
    return "\n".join(html)


def _dtype_grid(document, cells, heading, intro, rows, render_cell):
    """Render a table with one row per entry of ``rows`` (key, label) and one column
    per framework and dtype; ``render_cell(key, framework, dtype)`` returns a <td>."""
    frameworks = _framework_names(document)
    dtypes = document.get("options", {}).get("dtypes") or sorted(
        {cell["dtype"] for cell in cells}
    )
    html = [
        f"<h2>{escape(heading)}</h2>",
        f"<p><small>{escape(intro)}</small></p>",
        "<table><tr><th rowspan=2>function</th>",
    ]
    html += [f"<th colspan={len(dtypes)}>{escape(f)}</th>" for f in frameworks]
    html.append("</tr><tr>")
    html += [f"<th>{escape(d)}</th>" for _ in frameworks for d in dtypes]
    html.append("</tr>")

    for key, label in rows:
        html.append(f"<tr><th>{escape(label)}</th>")
        for framework in frameworks:
            for dtype in dtypes:
                html.append(render_cell(key, framework, dtype))
        html.append("</tr>")
    html.append("</table>")
    return "\n".join(html)


def _matrix_section(document, kind, title):
    cells = _cells(document, kind)
    if not cells:
        return ""
    grouped = defaultdict(list)
    for cell in cells:
        key = (cell["function"], cell.get("framework"), cell.get("dtype"))
        grouped[key].append(cell)
    functions = [
        name
        for name in document.get("functions", {})
        if any(key[0] == name for key in grouped)
    ] or sorted({key[0] for key in grouped})

    return _dtype_grid(
        document,
        cells,
        title,
        "Each cell: the worst status over its cases, then the maximum error over them "
        "against the variant the framework declares (a case with a modelled defect: "
        "against that model), in ULP of the output dtype and absolute. Hover for the "
        "cases.",
        [(function, function) for function in functions],
        lambda function, framework, dtype: _matrix_cell(
            grouped.get((function, framework, dtype), [])
        ),
    )


def _max_field(cells, field):
    values = [c[field] for c in cells if isinstance(c.get(field), (int, float))]
    infinite = [c[field] for c in cells if c.get(field) == "inf"]
    if infinite:
        return "inf"
    return max(values) if values else None


def _matrix_cell(group):
    if not group:
        return "<td></td>"
    status = _worst([c["status"] for c in group])
    text = STATUS_LABELS[status]
    ran = [
        c
        for c in group
        if c["status"] in ("passed", "failed", "xfailed", "xpassed", "known_defect")
    ]
    if ran:
        ulp = _max_field(ran, "max_ulp_error")
        abs_error = _max_field(ran, "max_abs_error")
        text += f"<br><small>{_number(ulp)} ULP, {_number(abs_error)} abs</small>"
    title = "\n".join(
        f"{c.get('case', c['test_id'])}: {STATUS_LABELS[c['status']]}"
        + (f" ({c['reason']})" if c.get("reason") and c["status"] != "passed" else "")
        for c in group
    )
    return _td(status, text, title)


def _function_table(document, kind, heading, intro, cell_text):
    """Render the cells of ``kind`` as a function x framework table; ``cell_text``
    turns one cell into the text shown for it."""
    cells = _cells(document, kind)
    if not cells:
        return ""
    frameworks = _framework_names(document)
    by_function = defaultdict(dict)
    for cell in cells:
        by_function[cell["function"]][cell.get("framework")] = cell
    html = [
        f"<h2>{escape(heading)}</h2>",
        f"<p><small>{escape(intro)}</small></p>",
        "<table><tr><th>function</th>",
    ]
    html += [f"<th>{escape(f)}</th>" for f in frameworks]
    html.append("</tr>")
    for function, per_framework in by_function.items():
        html.append(f"<tr><th>{escape(function)}</th>")
        for framework in frameworks:
            cell = per_framework.get(framework)
            if cell is None:
                html.append("<td></td>")
                continue
            title = cell.get("message") or cell.get("reason", "")
            html.append(_td(cell["status"], escape(cell_text(cell)), title))
        html.append("</tr>")
    html.append("</table>")
    return "\n".join(html)


def _defaults_text(cell):
    defaults = cell.get("defaults")
    if cell["status"] in ("not_provided", "not_installed"):
        return STATUS_LABELS[cell["status"]]
    if not defaults:
        return "(no parameters)"
    return ", ".join(f"{key}={value}" for key, value in defaults.items())


def _defaults_section(document):
    return _function_table(
        document,
        "default",
        "Default parameters",
        "What each framework uses when a parameter is left out, as its adapter "
        "declares it; 'passed' means a call without parameters matched the reference "
        "at these values.",
        _defaults_text,
    )


def _labels_text(cell):
    if cell["status"] in ("not_provided", "not_installed", "skipped"):
        return STATUS_LABELS[cell["status"]]
    outcome = cell.get("outcome")
    return f"{outcome}: {cell.get('detail', '')}" if outcome else ""


def _labels_section(document):
    cells = [
        dict(cell, function=f"{cell['function']} (label {cell.get('label', '?')})")
        for cell in _cells(document, "labels")
    ]
    return _function_table(
        {**document, "cells": cells},
        "labels",
        "Out-of-range integer labels",
        "What each framework does with the label k (the number of classes) and -1, "
        "as its adapter declares and the run observed: raises, NaN, or wraps (-1 "
        "taken as the last class).",
        _labels_text,
    )


def _integer_section(document):
    return _function_table(
        document,
        "integer",
        "Integer inputs",
        "What each activation does with an int32 input: rejected (with the exception "
        "type) or computed (with the output dtype); a computed result is checked "
        "against the reference.",
        lambda cell: cell.get("integer_behaviour") or STATUS_LABELS[cell["status"]],
    )


def _kink_text(cell):
    if "kink_derivatives" not in cell:
        return STATUS_LABELS[cell["status"]]
    pairs = zip(cell["kink_points"], cell["kink_derivatives"])
    return ", ".join(
        f"f'({_number(point)}) = {_number(value)}" for point, value in pairs
    )


def _kinks_section(document):
    kinks = [
        cell
        for cell in _cells(document, "gradient")
        if cell.get("regime") == "kink"
        and cell.get("dtype") == "float64"
        and cell.get("family") == "activation"
    ]
    if not kinks:
        return ""
    # Show one parameter set per function: the last recorded, which is the
    # non-default one where there are two (elu's alpha = 0.7).
    shown_case = {}
    for cell in kinks:
        shown_case[cell["function"]] = cell["case"]
    kink_document = {**document, "cells": [
        {**cell, "kind": "kink"} for cell in kinks if cell["case"] == shown_case[cell["function"]]
    ]}  # fmt: skip
    return _function_table(
        kink_document,
        "kink",
        "Derivatives at the kinks (float64)",
        "What each framework's autodiff returns where the derivative is undefined "
        "(the points shown, cotangent 1); cells whose convention differs from the "
        "reference's are declared variants or recorded defects.",
        _kink_text,
    )


def _accuracy_cell(cell):
    if cell is None:
        return "<td></td>"
    text = escape(STATUS_LABELS[cell["status"]])
    if "max_ulp_error" in cell:
        text = (
            f"{_number(cell['max_ulp_error'])} ULP<br><small>p99 "
            f"{_number(cell['p99_ulp_error'])}, at x = "
            f"{_number(cell['worst_input'], 6)}</small>"
        )
    return _td(cell["status"], text, cell.get("reason", ""))


def _accuracy_section(document):
    cells = _cells(document, "accuracy")
    if not cells:
        return ""
    grouped = {(c["case"], c.get("framework"), c["dtype"]): c for c in cells}
    cases = list(dict.fromkeys(cell["case"] for cell in cells))
    allowed = next((c["max_ulp_allowed"] for c in cells if "max_ulp_allowed" in c), "")

    return _dtype_grid(
        document,
        cells,
        "Accuracy: maximum error in ULP",
        f"Over {cells[0].get('points', '')} points in [-30, 30] (evenly, and 1e-8 to "
        "30 in magnitude on a log scale), against the variant each framework "
        f"declares, in ULP of the output dtype; allowed: {allowed} ULP. Each cell "
        "shows the maximum, the 99th percentile and the input of the maximum.",
        [(case, case.removesuffix("-sweep")) for case in cases],
        lambda case, framework, dtype: _accuracy_cell(
            grouped.get((case, framework, dtype))
        ),
    )


def _documented_section(document):
    cells = _cells(document, "documented")
    if not cells:
        return ""
    frameworks = _framework_names(document)
    by_example = defaultdict(dict)
    for cell in cells:
        by_example[cell["case"]][cell.get("framework")] = cell
    html = ["<h2>Documented examples</h2><table><tr><th>example</th><th>expected</th>"]
    html += [f"<th>{escape(f)}</th>" for f in frameworks]
    html.append("</tr>")
    for example_id, per_framework in by_example.items():
        first = next(iter(per_framework.values()))
        html.append(
            f"<tr><td><b>{escape(example_id)}</b><br>{escape(first['function'])} "
            f"[{escape(first['dtype'])}]<br><small>{escape(first.get('provenance', ''))}</small></td>"
            f"<td>{escape(str(first.get('expected')))}<br><small>to {escape(first.get('precision', ''))}"
            f"; computed under variant {escape(first.get('example_variant', ''))}</small></td>"
        )
        for framework in frameworks:
            cell = per_framework.get(framework)
            if cell is None:
                html.append("<td></td>")
                continue
            text = STATUS_LABELS[cell["status"]]
            if cell["status"] == "passed":
                text = "reproduced"
            elif cell["status"] == "xfailed":
                text = "does not reproduce (cause recorded)"
            if "got" in cell:
                text += f"<br>got {escape(str(cell['got']))}"
            if cell.get("defect"):
                text += f"<br><small>{escape(cell['defect']['reason'])}</small>"
            html.append(_td(cell["status"], text))
        html.append("</tr>")
    html.append("</table>")
    return "\n".join(html)


def _distance_text(cells):
    """Return the largest distance from the exact value over the finite cases, and
    name the regimes where it is infinite (a clipped log(0), a floored norm). Cases
    with NaN or inf inputs are left out, because their distance shows no convention."""
    cells = [c for c in cells if c.get("regime") != "nonfinite"]
    # A zero exact value makes the ULP error infinite too; only an infinite absolute
    # error means that one side is infinite.
    finite = [c for c in cells if c.get("exact_max_abs_error") != "inf"]
    infinite = sorted(
        {c.get("regime", "?") for c in cells if c.get("exact_max_abs_error") == "inf"}
    )
    parts = []
    if finite:
        ulp = _number(_max_field(finite, "exact_max_ulp_error"))
        abs_error = _number(_max_field(finite, "exact_max_abs_error"))
        parts.append(f"{ulp} ULP, {abs_error} abs")
    if infinite:
        parts.append(f"infinite in the {', '.join(infinite)} cases")
    return "; ".join(parts)


def _conventions_section(document):
    catalogue = document.get("functions", {})
    declared = defaultdict(set)
    measured = defaultdict(list)
    for cell in document["cells"]:
        if cell.get("kind") not in ("value", "gradient") or not cell.get("variant"):
            continue
        if cell["status"] in ("passed", "failed", "xfailed", "xpassed", "known_defect"):
            key = (cell["function"], cell["framework"])
            declared[key].add(cell["variant"])
            measured[(key, cell["dtype"])].append(cell)
    rows = [
        (key, variants)
        for key, variants in sorted(declared.items())
        if variants != {"exact"}
    ]
    html = [
        "<h2>Conventions: declared variants</h2>",
        "<p><small>Where a framework follows a definition other than the exact one, its "
        "adapter declares the variant and is held to it at full precision. The last "
        "column is the largest distance of its values and gradients from the exact "
        "definition over the cases where both are finite, in ULP of the dtype and "
        "absolute: a few ULP is rounding, more is the convention itself. Regimes where "
        "one side is infinite (the exact log(0) against a clipped one) are named "
        "apart, and cases with NaN or inf inputs are left out.</small></p>",
        "<table><tr><th>function</th><th>framework</th><th>variant</th><th>definition</th>"
        "<th>source</th><th>max distance from exact</th></tr>",
    ]
    for (function, framework), variants in rows:
        for variant in sorted(variants):
            info = catalogue.get(function, {}).get("variants", {}).get(variant, {})
            distances = []
            for dtype in document.get("options", {}).get("dtypes", []):
                group = measured.get(((function, framework), dtype), [])
                if group:
                    distances.append(f"{dtype}: {_distance_text(group)}")
            html.append(
                f"<tr><td>{escape(function)}</td><td>{escape(framework)}</td>"
                f"<td>{escape(variant)}</td><td>{escape(info.get('description', ''))}</td>"
                f"<td><small>{escape(info.get('source', ''))}</small></td>"
                f"<td>{'<br>'.join(escape(d) for d in distances)}</td></tr>"
            )
    html.append("</table>")
    return "\n".join(html)


def _tolerances_section(document):
    """One row per function: the value and gradient tolerances the cells recorded."""
    reasons = defaultdict(lambda: defaultdict(list))  # function -> kind -> reasons
    for cell in document["cells"]:
        reason = cell.get("tolerance_reason")
        # A loss on probabilities or logits has one reason for each form.
        if cell.get("kind") in ("value", "gradient") and reason:
            if reason not in reasons[cell["function"]][cell["kind"]]:
                reasons[cell["function"]][cell["kind"]].append(reason)
    if not reasons:
        return ""
    html = [
        "<h2>Tolerances</h2>",
        "<p><small>An element passes when |got - expected| &lt;= atol + rtol * "
        "|expected|. ULP are units of the tested dtype's epsilon, so one entry "
        "scales to each dtype (harness/tolerances.py).</small></p>",
        "<table><tr><th>function</th><th>values</th><th>gradients</th></tr>",
    ]
    for function, by_kind in reasons.items():
        html.append(
            f"<tr><th>{escape(function)}</th>"
            f"<td>{'<br>'.join(escape(r) for r in by_kind['value'])}</td>"
            f"<td>{'<br>'.join(escape(r) for r in by_kind['gradient'])}</td></tr>"
        )
    html.append("</table>")
    return "\n".join(html)


def _defects_section(document):
    grouped = defaultdict(list)
    for cell in document["cells"]:
        # Documented-value mismatches are explained in the documented examples table.
        if cell.get("defect") and cell.get("kind") != "documented":
            key = (cell.get("framework"), cell["function"], cell["defect"]["reason"])
            grouped[key].append(cell)
    if not grouped:
        return ""
    html = [
        "<h2>Known defects</h2>",
        "<p><small>A defect with a model is asserted against that model: 'known "
        "defect (matches its model)' means the framework computes exactly the recorded "
        "error. One without a model is a strict expected failure: 'known defect' means "
        "still failing; 'FIXED?' means the framework now passes and the record should "
        "go.</small></p>",
        "<table><tr><th>framework</th><th>function</th><th>cells</th><th>status</th>"
        "<th>cause</th><th>upstream</th><th>versions</th></tr>",
    ]
    for (framework, function, reason), cells in grouped.items():
        status = _worst([c["status"] for c in cells])
        defect = cells[0]["defect"]
        where = sorted({f"{c.get('kind')} {c.get('dtype')}" for c in cells})
        html.append(
            f"<tr><td>{escape(str(framework))}</td><td>{escape(function)}</td>"
            f"<td><small>{escape(', '.join(where))}</small></td>"
            + _td(status, STATUS_LABELS[status])
            + f"<td>{escape(reason)}</td><td><small>{escape(defect['reference'])}</small></td>"
            f"<td><small>{escape(defect['versions'])}</small></td></tr>"
        )
    html.append("</table>")
    return "\n".join(html)


def _benchmark_section(document):
    cells = [
        c
        for c in _cells(document, "benchmark")
        if isinstance(c.get("median_s"), (int, float))
    ]
    if not cells:
        return "<h2>Benchmarks</h2><p>No timings in this run (benchmarks disabled or skipped).</p>"
    fastest = min(c["median_s"] for c in cells)
    html = [
        "<h2>Benchmarks</h2>",
        "<p><small>pytest-benchmark wall time per call after a warm-up call (JAX "
        "compiles there), device synchronized before the clock is read. Compare ratios "
        "within this run; absolute times depend on the machine and its load.</small></p>",
        "<table><tr><th>function</th><th>framework</th><th>api</th><th>dtype</th>"
        "<th>elements</th><th>median ms</th><th>min ms</th><th>mean ms</th>"
        "<th>rounds</th><th>median / fastest</th><th>Melem/s</th></tr>",
    ]
    for cell in sorted(cells, key=lambda c: c["median_s"]):
        elements = cell.get("elements", 0)
        html.append(
            f"<tr><td>{escape(cell['function'])}</td><td>{escape(cell['framework'])}</td>"
            f"<td><small>{escape(cell.get('api', ''))}</small></td><td>{escape(cell['dtype'])}</td>"
            f"<td class=num>{elements:,}</td>"
            f"<td class=num>{cell['median_s'] * 1e3:.3f}</td>"
            f"<td class=num>{cell['min_s'] * 1e3:.3f}</td>"
            f"<td class=num>{cell['mean_s'] * 1e3:.3f}</td>"
            f"<td class=num>{cell['rounds']}</td>"
            f"<td class=num>{cell['median_s'] / fastest:.2f}</td>"
            f"<td class=num>{elements / cell['median_s'] / 1e6:.1f}</td></tr>"
        )
    html.append("</table>")
    return "\n".join(html)


def _failures_section(document):
    failed = [c for c in document["cells"] if c["status"] in ("failed", "xpassed")]
    if not failed:
        return "<h2>Failures</h2><p>None.</p>"
    html = [f"<h2>Failures ({len(failed)})</h2>"]
    for cell in failed:
        html.append(f"<h3>{escape(cell['test_id'])}</h3>")
        html.append(
            f"<pre>{escape(cell.get('message') or cell.get('reason', ''))}</pre>"
        )
    return "\n".join(html)


def render(document):
    """Return the report for a results document as an HTML string."""
    sections = [
        _environment_section(document),
        _summary_section(document),
        _matrix_section(document, "value", "Values: function x framework x dtype"),
        _matrix_section(document, "gradient", "Gradients (autodiff vs analytic)"),
        _tolerances_section(document),
        _accuracy_section(document),
        _defaults_section(document),
        _kinks_section(document),
        _integer_section(document),
        _labels_section(document),
        _documented_section(document),
        _conventions_section(document),
        _defects_section(document),
        _benchmark_section(document),
        _failures_section(document),
    ]
    body = "\n".join(section for section in sections if section)
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        "<title>nnparity conformance report</title>"
        f"<style>{CSS}</style></head><body>"
        "<h1>nnparity conformance report</h1>"
        f"{body}</body></html>\n"
    )
