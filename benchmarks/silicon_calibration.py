"""The energy model against published silicon measurements.

    python benchmarks/silicon_calibration.py [--json FILE]

1. TrueNorth (Merolla et al. 2014; Akopyan et al. 2015): a full chip, 1 M neurons
   firing at 20 Hz with 128 active synapses each, in real time (1 ms ticks),
   measured at 65 mW (0.75 V) and 72 mW (0.775 V). We simulate 4096 such neurons
   (16 cores' worth) for 1 s in the engine, scale the counters to 1 M neurons and
   bill them with the truenorth profile.
2. SpiNNaker (Sharp et al. 2012): 10 k neurons with 4 M synapses on 4 chips in real
   time cost 100 nJ per neuron per ms plus 43 nJ per postsynaptic potential
   (measured). We simulate the same network at 10 Hz and bill it with the
   spinnaker profile (Stromatias 2013 marginals + idle chip power).

The engine supplies the event counts (synaptic ops are counted through zero
weights, so the firing rate is set exactly by the drive).
"""

from __future__ import annotations

import argparse

import numpy as np

import hardware_profiles as hp
import neuro
from neuro import encode, ir
from neuro.io import write_json


def regular_network(n: int, period: int, synapses: int, rng) -> tuple[ir.Graph, np.ndarray]:
    """n IF neurons firing every `period` steps, each with `synapses` outgoing zero-weight synapses."""
    pre = np.repeat(np.arange(n), synapses)
    post = rng.integers(0, n, pre.size)
    graph = ir.Graph(
        nodes={"in": ir.Input((n,)), "drive": ir.Scale(np.ones(n)),
               "cells": ir.IF.uniform((n,), v_threshold=float(period)),
               "syn": ir.Sparse(n, n, pre, post, np.zeros(pre.size), np.ones(pre.size, np.int64))},
        edges=(("in", "drive"), ("drive", "cells"), ("cells", "syn"), ("syn", "cells")))
    return graph, np.ones((1, n))


def simulate_counts(graph, x, steps):
    result = neuro.simulate(neuro.compile_network(graph), encode.constant(x), timesteps=steps)
    index = result.counters.names.index("cells")
    return {"synops": float(result.counters.synops[0, index]), "events": float(result.counters.events[0, index]),
            "neuron_updates": float(result.counters.neuron_updates[0, index])}


def truenorth(rng) -> dict:
    profile = hp.load("truenorth")
    n, scale, steps = 4096, 256, 1000
    counts = simulate_counts(*regular_network(n, 50, 128, rng), steps)
    chip = {k: v * scale for k, v in counts.items()}
    energy = hp.estimate(profile.cost, {"synops": chip["synops"]}, steps=steps, chips=1)
    power = energy.total_j / (steps * profile.cost.time_step_s)
    return {
        "chip": "truenorth", "workload": "1 M neurons, 20 Hz, 128 synapses each, real time",
        "sop_per_s": chip["synops"], "model_mw": power * 1e3,
        "published_mw": {"0.75 V (Akopyan 2015)": 65.0, "0.775 V (Merolla 2014)": 72.0},
        "amortised_cross_check_mw": profile.cross_checks["amortised_synop_pj"].value * chip["synops"] * 1e3,
        "components_mj": {k: v * 1e3 for k, v in energy.components_j.items()},
    }


def spinnaker(rng) -> dict:
    profile = hp.load("spinnaker")
    n, synapses, steps, rate_hz = 10_000, 400, 1000, 10.0
    counts = simulate_counts(*regular_network(n, int(1000 / rate_hz), synapses, rng), steps)
    energy = hp.estimate(profile.cost, {"synops": counts["synops"], "neuron_updates": counts["neuron_updates"],
                                        "events": counts["events"]}, steps=steps, chips=4)
    seconds = steps * profile.cost.time_step_s
    measured_j = n * steps * 100e-9 + counts["synops"] * 43e-9  # Sharp 2012: per neuron per ms, per PSP
    return {
        "chip": "spinnaker", "workload": "10 k neurons, 4 M synapses, 10 Hz, 4 chips, real time",
        "psp_per_s": counts["synops"] / seconds, "model_w": energy.total_j / seconds,
        "published_w": measured_j / seconds,
        "components_w": {k: v / seconds for k, v in energy.components_j.items()},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    rows = [truenorth(rng), spinnaker(rng)]
    tn, sp = rows
    print("| chip | workload | model | published | gap |")
    print("|---|---|---|---|---|")
    for label, published in tn["published_mw"].items():
        print(f"| TrueNorth | {tn['workload']} | {tn['model_mw']:.1f} mW | {published:.1f} mW at {label} | "
              f"{(tn['model_mw'] / published - 1) * 100:+.1f}% |")
    print(f"| SpiNNaker | {sp['workload']} | {sp['model_w']:.2f} W | {sp['published_w']:.2f} W (Sharp 2012 fit) | "
          f"{(sp['model_w'] / sp['published_w'] - 1) * 100:+.1f}% |")
    print(f"\nTrueNorth amortised cross-check (26 pJ x SOP rate): {tn['amortised_cross_check_mw']:.1f} mW; "
          f"model components (mJ over 1 s): {tn['components_mj']}")
    print(f"SpiNNaker model components (W): { {k: round(v, 3) for k, v in sp['components_w'].items()} }")
    if args.json:
        write_json(args.json, rows)


if __name__ == "__main__":
    main()
