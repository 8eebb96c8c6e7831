"""Events per second of the engine's kernel, next to plain torch running the same network dense.

    python benchmarks/kernel_throughput.py [--timesteps 100] [--repeats 5] [--json FILE]

Networks: a 784-500-500-10 IF network with random dyadic weights (exact sums, so
both engines must give identical spike counts, which is asserted) driven by
Bernoulli input at 10% per step, tuned to about 10% hidden activity; and one conv
layer (16 -> 32 channels, 3x3, on 28x28). Batch 1 and batch 100. Timings are the
best of ``--repeats`` runs after a warm-up; torch runs float64 on the same thread
count. Both keep spike counts only: the engine runs with ``record_output=False``, as
the torch loops keep no per-step output (recording the conv layer's 25,088 outputs at
every step cost more than the simulation). Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import platform
import time

import numba
import numpy as np
import torch

import neuro
from neuro import ir


def mlp(rng):
    sizes = [784, 500, 500, 10]
    nodes, edges, prev = {"in": ir.Input((784,))}, [], "in"
    weights = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        # dyadic weights: every partial sum is exact in float64
        w = np.round(rng.normal(0.0, 1.0, (n_out, n_in)) * 64 / np.sqrt(n_in) * 1.6) / 64
        weights.append(w)
        nodes[f"fc{i}"] = ir.Dense(w)
        nodes[f"n{i}"] = ir.IF.uniform((n_out,), v_threshold=1.0)
        edges += [(prev, f"fc{i}"), (f"fc{i}", f"n{i}")]
        prev = f"n{i}"
    return ir.Graph(nodes=nodes, edges=tuple(edges)), weights


def conv_layer(rng):
    w = np.round(rng.normal(0.0, 1.0, (32, 16, 3, 3)) * 64 / 12 * 2.0) / 64
    graph = ir.Graph(nodes={"in": ir.Input((16, 28, 28)), "conv": ir.Conv2d(w, padding=1),
                            "n": ir.IF.uniform((32, 28, 28))},
                     edges=(("in", "conv"), ("conv", "n")))
    return graph, w


def torch_mlp(weights, drive, timesteps):
    ws = [torch.from_numpy(w) for w in weights]
    x = torch.from_numpy(drive)
    vs = [torch.zeros(x.shape[0], w.shape[0], dtype=torch.float64) for w in ws]
    counts = [torch.zeros_like(v) for v in vs]
    with torch.no_grad():
        for t in range(timesteps):
            s = x[:, t]
            for i, w in enumerate(ws):
                vs[i] += s @ w.T
                s = (vs[i] >= 1.0).double()
                vs[i] -= s
                counts[i] += s
    return [c.numpy() for c in counts]


def torch_conv(w, drive, timesteps):
    weight = torch.from_numpy(w)
    x = torch.from_numpy(drive).reshape(drive.shape[0], timesteps, 16, 28, 28)
    v = torch.zeros(x.shape[0], 32, 28, 28, dtype=torch.float64)
    count = torch.zeros_like(v)
    with torch.no_grad():
        for t in range(timesteps):
            v += torch.nn.functional.conv2d(x[:, t], weight, padding=1)
            s = (v >= 1.0).double()
            v -= s
            count += s
    return [count.reshape(x.shape[0], -1).numpy()]


def best_of(fn, repeats):
    fn()  # warm-up (compilation, caches)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def measure(name, graph, torch_fn, timesteps, batch, threads, repeats, rng):
    net = neuro.compile_network(graph)
    n_in = net.n_inputs
    drive = (rng.random((batch, timesteps, n_in)) < 0.1).astype(np.float64)
    torch.set_num_threads(threads)
    ours_s, result = best_of(lambda: neuro.simulate(net, drive, timesteps=timesteps, threads=threads,
                                                    record_output=False), repeats)
    torch_s, torch_counts = best_of(lambda: torch_fn(drive, timesteps), repeats)
    populations = [p for p in net.names if p != "in"]
    for p, counts in zip(populations, torch_counts, strict=True):
        if not np.array_equal(result.counts_of(p), counts):
            raise AssertionError(f"{name}: spike counts of {p} differ between engine and torch")
    events = int(result.counters.events.sum())
    hidden = [result.counts_of(p).mean() / timesteps for p in populations]
    return {
        "network": name, "batch": batch, "threads": threads, "timesteps": timesteps,
        "events": events, "synops": int(result.counters.synops.sum()),
        "activity_per_population": [round(float(a), 4) for a in hidden],
        "ours_s": ours_s, "torch_s": torch_s,
        "events_per_s": events / ours_s, "synops_per_s": result.counters.synops.sum() / ours_s,
        "speedup_vs_torch": torch_s / ours_s,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timesteps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", help="write the rows here")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    graph, weights = mlp(rng)
    cgraph, cw = conv_layer(rng)
    rows = []
    for batch in (1, 100):
        for threads in sorted({1, min(2, numba.config.NUMBA_NUM_THREADS)}):
            rows.append(measure("784-500-500-10", graph, lambda d, t: torch_mlp(weights, d, t),
                                args.timesteps, batch, threads, args.repeats, rng))
            rows.append(measure("conv16-32-3x3@28x28", cgraph, lambda d, t: torch_conv(cw, d, t),
                                args.timesteps if batch == 1 else 20, batch, threads, args.repeats, rng))
    print("| network | batch | threads | T | activity | events/s | synops/s | ours s | torch s | speed-up |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['network']} | {r['batch']} | {r['threads']} | {r['timesteps']} | "
              f"{'/'.join(f'{a:.3f}' for a in r['activity_per_population'])} | {r['events_per_s']:.3g} | "
              f"{r['synops_per_s']:.3g} | {r['ours_s']:.4f} | {r['torch_s']:.4f} | {r['speedup_vs_torch']:.2f}x |")
    if args.json:
        meta = {"python": platform.python_version(), "numpy": np.__version__, "numba": numba.__version__,
                "torch": torch.__version__, "machine": platform.machine()}
        neuro.io.write_json(args.json, {"rows": rows, "versions": meta})


if __name__ == "__main__":
    main()
