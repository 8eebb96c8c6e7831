"""Benchmark report: Markdown, self-contained HTML and PNG plots from result rows.

Pure: takes rows (as written to ``results.json``) and per-layer diagnostics and
returns strings and PNG bytes; the caller writes them. Every number shown is
taken from the rows.
"""

from __future__ import annotations

import base64
import html
import io as _bytes_io
from dataclasses import dataclass

import numpy as np

__all__ = ["Report", "build_report", "best_points", "best_text", "pareto_front", "energy_text", "calibration_lines"]


@dataclass(frozen=True, eq=False)
class Report:
    markdown: str
    html: str
    images: dict[str, bytes]
    best: list[dict]


def pareto_front(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """(energy, accuracy) points that no other point beats on both (lower energy, higher accuracy)."""
    front, best = [], -np.inf
    for energy, accuracy in sorted(points, key=lambda p: (p[0], -p[1])):
        if accuracy > best:
            front.append((energy, accuracy))
            best = accuracy
    return front


def best_points(rows: list[dict]) -> list[dict]:
    """Per profile: the row with the highest accuracy per joule among those with an energy total, ranked.

    A profile's fitting rows beat its non-fitting ones; a profile that no network fits
    is still listed, with its best non-fitting row (its ``fits`` says so). The ranking
    puts every combination that fits before every one that does not, then orders by
    accuracy per joule, best first: a figure for a network the chip cannot hold is no
    competitor of one it can.
    """
    best = {}
    for row in rows:
        energy = row.get("energy_j_per_inference")
        if not energy:
            continue
        score = (bool(row["fits"]), row["snn_accuracy"] / energy)
        if row["profile"] not in best or score > best[row["profile"]][0]:
            best[row["profile"]] = (score, row)
    return [row for _, row in sorted(best.values(), key=lambda item: (not item[0][0], -item[0][1],
                                                                        item[1]["profile"]))]


_ENERGY_UNITS = ((1.0, "J"), (1e-3, "mJ"), (1e-6, "µJ"), (1e-9, "nJ"), (1e-12, "pJ"))


def energy_text(joules: float | None) -> str:
    """An energy in the largest unit that keeps it at 1 or more (``"12.3 µJ"``); ``"n/a"`` for None."""
    if joules is None:
        return "n/a"
    if joules == 0:
        return "0 J"
    scale, unit = next(((s, u) for s, u in _ENERGY_UNITS if abs(joules) >= s), _ENERGY_UNITS[-1])
    return f"{joules / scale:.3g} {unit}"


def _fits_text(row: dict) -> str:
    return "yes" if row["fits"] else "no (does not fit)"


def calibration_lines(calibration: list[dict], profiles) -> list[str]:
    """Per chip of the run: the held-out gaps of the calibration rows, or why there are none."""
    lines = []
    for profile in sorted(profiles):
        mine = [r for r in calibration if r["chip"] == profile]
        held = [r for r in mine if not r["used_for_fit"]]
        if held:
            gaps = "; ".join(f"{r['workload']} ({r['source']}): {r['gap'] * 100:+.0f}%" for r in held)
            lines.append(f"- {profile}: held out, {gaps}")
        elif mine:
            lines.append(f"- {profile}: fitted on its only measurement ({mine[0]['workload']}); no independent check")
        else:
            lines.append(f"- {profile}: no published per-inference measurement in the calibration")
    return lines


def best_text(best: list[dict]) -> str:
    """The best-per-profile rows as the plain-text table ``neuro bench`` and the demo print."""
    lines = ["best accuracy per joule, per profile (combinations that fit first):",
             f"  {'profile':12s} {'model':22s} {'T':>4s} {'fits':>17s} {'SNN acc':>8s} {'energy':>10s} "
             f"{'ANN energy (baseline)':>24s}"]
    for row in best:
        lines.append(f"  {row['profile']:12s} {row['model']:22s} {row['timesteps']:4d} {_fits_text(row):>17s} "
                     f"{row['snn_accuracy']:8.4f} {energy_text(row['energy_j_per_inference']):>10s} "
                     f"{energy_text(row['ann_energy_j_per_inference']):>10s} ({row['ann_baseline']})")
    return "\n".join(lines)


def _fmt(value, spec=".4f") -> str:
    if value is None:
        return "n/a"
    return format(value, spec)


# where a chip's energy goes: the cost model's components (hardware_profiles.energy) in five groups
ENERGY_GROUPS = {
    "static": ("static",),
    "synaptic ops": ("synops", "graded_synops"),
    "neuron updates": ("neuron_updates",),
    "routing": ("events", "hops", "chip_crossings"),
    "per-step overhead": ("core_steps", "chip_steps"),
}


def energy_groups(components_j: dict[str, float]) -> dict[str, float]:
    """A bill's components summed into :data:`ENERGY_GROUPS` (joules per inference); a component of no group
    is an error, so that a new cost cannot drop out of the plot unseen."""
    grouped = {group: 0.0 for group in ENERGY_GROUPS}
    for name, joules in components_j.items():
        group = next((g for g, members in ENERGY_GROUPS.items() if name in members), None)
        if group is None:
            raise ValueError(f"energy component {name!r} belongs to no group of ENERGY_GROUPS")
        grouped[group] += joules
    return grouped


def _png(figure) -> bytes:
    buffer = _bytes_io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    return buffer.getvalue()


def _plots(rows: list[dict], diagnostics: dict[str, list[dict]]) -> dict[str, bytes]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    models = sorted({r["model"] for r in rows})
    profiles = sorted({r["profile"] for r in rows})
    colours = {p: plt.cm.tab10(i % 10) for i, p in enumerate(profiles)}
    images = {}

    figure, axes = plt.subplots(1, len(models), figsize=(4.5 * len(models), 3.5), squeeze=False)
    for ax, model in zip(axes[0], models, strict=True):
        for profile in profiles:
            mine = sorted((r for r in rows if r["model"] == model and r["profile"] == profile),
                          key=lambda r: r["timesteps"])
            ax.plot([r["timesteps"] for r in mine], [r["snn_accuracy"] for r in mine], "o-", label=profile,
                    color=colours[profile])
        ann = next(r["ann_accuracy"] for r in rows if r["model"] == model)
        if ann is not None:
            ax.axhline(ann, color="k", linestyle="--", label="ANN")
        ticks = sorted({r["timesteps"] for r in rows})
        ax.set(title=model, xlabel="timesteps T", ylabel="SNN accuracy", xscale="log")
        ax.minorticks_off()
        ax.set_xticks(ticks, [str(t) for t in ticks])
    axes[0][-1].legend(fontsize=7)
    images["accuracy_vs_timesteps.png"] = _png(figure)

    figure, axes = plt.subplots(1, len(models), figsize=(4.5 * len(models), 3.5), squeeze=False)
    for ax, model in zip(axes[0], models, strict=True):
        mine = [r for r in rows if r["model"] == model and r.get("energy_j_per_inference")]
        for profile in profiles:
            for fits in (True, False):  # hollow markers: the network does not fit that chip
                points = [(r["energy_j_per_inference"], r["snn_accuracy"]) for r in mine
                          if r["profile"] == profile and r["fits"] == fits]
                if points:
                    ax.scatter(*zip(*points, strict=True), s=22, label=profile if fits else f"{profile} (no fit)",
                               facecolors=colours[profile] if fits else "none", edgecolors=colours[profile])
        front = pareto_front([(r["energy_j_per_inference"], r["snn_accuracy"]) for r in mine])
        if front:  # drawn over the points, so that it shows where they crowd
            ax.step(*zip(*front, strict=True), where="post", color="k", linewidth=1.8, linestyle="--",
                    zorder=3, label="Pareto front")
        first = next(r for r in rows if r["model"] == model)
        # the ANN's devices by marker and legend entry, not by text beside the point: labels at nearby
        # energies overlapped
        for (device, energy), marker in zip(first.get("ann_energy_j_by_device", {}).items(), "*PXDv^<>",
                                            strict=False):
            if first["ann_accuracy"] is None:  # a network with no ANN reading (e.g. a LIF network): energy only
                ax.axvline(energy, color="k", linestyle=":", linewidth=1, label=f"ANN on {device} (energy)")
                continue
            ax.scatter([energy], [first["ann_accuracy"]], marker=marker, s=70, color="k", zorder=4,
                       label=f"ANN on {device}")
        ax.set(title=model, xlabel="energy per inference (J)", ylabel="accuracy", xscale="log")
        ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the axes, not over points
    figure.tight_layout()
    images["accuracy_vs_energy.png"] = _png(figure)

    # where each chip's energy goes, per model at the longest T: shares of the total by group
    last_t = max(r["timesteps"] for r in rows)
    billed = [r for r in rows if r["timesteps"] == last_t and r.get("energy_j_per_inference")]
    billed_models = sorted({r["model"] for r in billed})
    if billed_models:
        figure, axes = plt.subplots(1, len(billed_models), figsize=(4.5 * len(billed_models), 3.2), squeeze=False)
        group_colours = dict(zip(ENERGY_GROUPS, plt.cm.Set2.colors, strict=False))
        for ax, model in zip(axes[0], billed_models, strict=True):
            mine = sorted((r for r in billed if r["model"] == model), key=lambda r: r["profile"])
            grouped = [energy_groups(r["energy_components_j"]) for r in mine]
            left = np.zeros(len(mine))
            for group in ENERGY_GROUPS:
                share = np.array([g[group] / r["energy_j_per_inference"] for g, r in zip(grouped, mine, strict=True)])
                ax.barh(np.arange(len(mine)), share, left=left, color=group_colours[group], label=group)
                left += share
            ax.set_yticks(np.arange(len(mine)), [f"{r['profile']} ({energy_text(r['energy_j_per_inference'])})"
                                                 for r in mine], fontsize=7)
            ax.set(title=f"{model}, T = {last_t}", xlabel="share of the energy per inference", xlim=(0, 1))
        axes[0][-1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        figure.tight_layout()
        images["energy_breakdown.png"] = _png(figure)

    with_layers = [m for m in models if diagnostics.get(m)]
    if with_layers:
        figure, axes = plt.subplots(2, len(with_layers), figsize=(4.5 * len(with_layers), 6), squeeze=False)
        for column, model in enumerate(with_layers):
            layers = diagnostics[model]
            names = [d["population"] for d in layers]
            axes[0][column].bar(names, [d["firing_rate"] for d in layers], color="tab:blue")
            axes[0][column].set(title=f"{model}: firing rate", ylabel="events / neuron / step")
            axes[1][column].bar(names, [d["mean_abs_error"] for d in layers], color="tab:red")
            axes[1][column].set(title="SNN rate vs ANN activation", ylabel="mean |error| (rate units)")
            for ax in axes[:, column]:
                ax.tick_params(axis="x", rotation=45, labelsize=7)
        figure.tight_layout()
        images["layers.png"] = _png(figure)

    last = max(r["timesteps"] for r in rows)
    figure, ax = plt.subplots(figsize=(max(5, 1.2 * len(profiles) * max(1, len(models)) / 2), 3.5))
    width = 0.8 / max(1, len(models))
    for i, model in enumerate(models):
        values = [next((r["utilisation"]["neurons_per_core"] for r in rows if r["model"] == model
                        and r["profile"] == p and r["timesteps"] == last), 0.0) for p in profiles]
        ax.bar(np.arange(len(profiles)) + i * width, values, width, label=model)
    ax.set_xticks(np.arange(len(profiles)) + 0.4 - width / 2, profiles, rotation=30)
    ax.set(ylabel="neurons used / core capacity", title="core utilisation")
    ax.legend(fontsize=7)
    images["utilisation.png"] = _png(figure)
    return images


def _table(header: list[str], body: list[list[str]]) -> list[list[str]]:
    return [header, *body]


def _markdown_table(table) -> str:
    header, *body = table
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def _html_table(table) -> str:
    header, *body = table
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def build_report(rows: list[dict], diagnostics: dict[str, list[dict]], calibration: list[dict] | None = None
                 ) -> Report:
    """The report of a sweep's ``rows``; ``calibration`` (rows of benchmarks/silicon_calibration.py --json)
    adds each chip's held-out gap."""
    if not rows:
        raise ValueError("no results to report")
    images = _plots(rows, diagnostics)
    results = _table(
        ["model", "profile", "T", "latency model", "samples", "ANN acc", "SNN acc", "agreement", "fits", "cores",
         "chips", "energy / inference", "latency s/inf", "ANN energy / inference", "not billed"],
        [[r["model"], r["profile"], str(r["timesteps"]), r["latency_model"], str(r["samples"]),
          _fmt(r["ann_accuracy"]), _fmt(r["snn_accuracy"]), _fmt(r["agreement"]), str(r["fits"]),
          str(r["cores"]), str(r["chips"]), energy_text(r["energy_j_per_inference"]),
          _fmt(r["latency_s_per_inference"], ".3e"), f"{energy_text(r['ann_energy_j_per_inference'])} "
          f"({r['ann_baseline']})", ", ".join(r["energy_not_billed"]) or "-"]
         for r in sorted(rows, key=lambda r: (r["model"], r["profile"], r["timesteps"]))])
    best = best_points(rows)
    best_table = _table(["rank", "profile", "model", "T", "fits", "SNN acc", "energy / inference",
                         "accuracy per joule"],
                        [[str(rank), r["profile"], r["model"], str(r["timesteps"]), _fits_text(r),
                          _fmt(r["snn_accuracy"]), energy_text(r["energy_j_per_inference"]),
                          _fmt(r["snn_accuracy"] / r["energy_j_per_inference"], ".3e")]
                         for rank, r in enumerate(best, 1)])
    profiles = {r["profile"] for r in rows}
    calibrated = (calibration_lines(calibration, profiles) if calibration is not None else
                  ["- no calibration given: `python benchmarks/silicon_calibration.py --json FILE`, then "
                   "`neuro bench ... --calibration FILE`"])
    violations = sorted({(r["model"], r["profile"], v) for r in rows for v in r["violations"]})
    layer_tables = {m: _table(["population", "neurons", "firing rate", "ANN rate", "mean |error|", "saturated"],
                              [[d["population"], str(d["neurons"]), _fmt(d["firing_rate"]), _fmt(d["ann_rate"]),
                                _fmt(d["mean_abs_error"]), _fmt(d["saturated_fraction"])] for d in layers])
                    for m, layers in diagnostics.items() if layers}
    conversions = sorted({(r["model"], _describe_conversion(r["conversion"])) for r in rows})
    md = ["# Accuracy versus energy", "",
          f"{len(rows)} runs: models {', '.join(sorted({r['model'] for r in rows}))}; profiles "
          f"{', '.join(sorted({r['profile'] for r in rows}))}; timesteps "
          f"{', '.join(str(t) for t in sorted({r['timesteps'] for r in rows}))}.", "",
          "Energy is billed from the engine's event counts with each profile's cost model; "
          "'not billed' lists the costs a profile has no source for (its total is then a lower bound, "
          "or n/a when synaptic operations cannot be billed).", "",
          "## Conversion", ""]
    md += [f"- {model}: {text}" for model, text in conversions]
    md += ["", "## Best accuracy per joule, per profile", "",
           "Combinations that fit their chip rank before those that do not (marked 'does not fit').", "",
           _markdown_table(best_table), "", "## Calibration against silicon", "",
           "How far each chip's energy column can be trusted: the gap (model / measurement - 1) on published "
           "per-inference measurements that no profile constant was fitted on.", ""]
    md += calibrated
    md += ["", "## All results", "", _markdown_table(results), "", "## Fit and violations", ""]
    md += [f"- {m} on {p}: {v}" for m, p, v in violations] or ["- every network fits every profile"]
    md += ["", "## Plots", ""] + [f"![{name}]({name})" for name in images]
    for model, table in layer_tables.items():
        md += ["", f"## Where accuracy is lost: {model}", "", _markdown_table(table)]
    markdown = "\n".join(md) + "\n"
    body = ["<h1>Accuracy versus energy</h1>", f"<p>{html.escape(md[2])}</p>", f"<p>{html.escape(md[4])}</p>",
            "<h2>Conversion</h2><ul>"
            + "".join(f"<li>{html.escape(m)}: {html.escape(t)}</li>" for m, t in conversions) + "</ul>",
            "<h2>Best accuracy per joule, per profile</h2>",
            "<p>Combinations that fit their chip rank before those that do not (marked 'does not fit').</p>",
            _html_table(best_table), "<h2>Calibration against silicon</h2><ul>"
            + "".join(f"<li>{html.escape(line[2:])}</li>" for line in calibrated) + "</ul>",
            "<h2>All results</h2>", _html_table(results), "<h2>Fit and violations</h2><ul>"
            + ("".join(f"<li>{html.escape(f'{m} on {p}: {v}')}</li>" for m, p, v in violations)
               or "<li>every network fits every profile</li>") + "</ul>", "<h2>Plots</h2>"]
    body += [f'<figure><img alt="{name}" src="data:image/png;base64,{base64.b64encode(data).decode()}">'
             f"<figcaption>{name}</figcaption></figure>" for name, data in images.items()]
    for model, table in layer_tables.items():
        body += [f"<h2>Where accuracy is lost: {html.escape(model)}</h2>", _html_table(table)]
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>neuro benchmark report</title><style>"
            "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:12px}"
            "td,th{border:1px solid #ccc;padding:2px 6px}img{max-width:100%}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")
    return Report(markdown=markdown, html=page, images=images, best=best)


def _describe_conversion(conversion: dict) -> str:
    if not conversion:
        return "not recorded"
    parts = [conversion.get("method", "")]
    for key in ("percentile", "normalisation", "reset", "half_threshold_init", "signed", "input", "readout"):
        if key in conversion:
            parts.append(f"{key} {conversion[key]}")
    if isinstance(conversion.get("membrane_calibration"), dict):
        parts.append(f"initial membranes calibrated for T = {conversion['membrane_calibration'].get('timesteps')}")
    if conversion.get("approximations"):
        parts.append("approximations: " + "; ".join(conversion["approximations"]))
    return ", ".join(p for p in parts if p)
