"""The energy model against published per-inference measurements on silicon.

    python benchmarks/silicon_calibration.py [--json FILE]

Each published workload (shared/reference/hardware.md section 7) is rebuilt as a
graph of the published size and activity, run in the engine, mapped and billed
with the chip's profile (neuro.app.calibration), and set beside the measurement:
one row per measurement with ``chip, workload, source, published_j_per_inference``
(or ``published_w``), ``modelled``, ``gap`` (modelled / published - 1) and
``used_for_fit``. A row whose measurement fitted a profile constant checks
nothing; the held-out rows are the checks. Networks too large to run quickly are
scaled down and their counts scaled up (TrueNorth: 4096 of 1 M neurons; Speck:
1000 neurons standing for 1e6 spikes per window), which the rows' notes say.
"""

from __future__ import annotations

import argparse

from neuro.app.calibration import calibration_rows
from neuro.io import write_json


def _figure(value: float, unit: str) -> str:
    if unit == "w":
        return f"{value * 1e3:.3g} mW"
    return f"{value * 1e6:.3g} uJ"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the rows to this JSON file")
    args = parser.parse_args()
    rows = calibration_rows()
    print("| chip | workload | source | published | modelled | gap | used for fit |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row.chip} | {row.workload} | {row.source} | {_figure(row.published, row.unit)} | "
              f"{_figure(row.modelled, row.unit)} | {row.gap * 100:+.1f}% | {'yes' if row.used_for_fit else 'no'} |")
    held = [row for row in rows if not row.used_for_fit and row.chip not in ("cpu", "gpu", "horowitz45nm")]
    print(f"\nheld-out chip rows within +-25%: {sum(abs(r.gap) <= 0.25 for r in held)} of {len(held)}")
    if args.json:
        write_json(args.json, [row.to_row() for row in rows])


if __name__ == "__main__":
    main()
