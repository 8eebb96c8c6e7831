"""The engine against Brian2, snntorch and plain torch, measured side by side in one run.

    python benchmarks/engine_vs_peers.py --json FILE [--quick] [--repeats 5]

Every peer runs on this machine in this run, on 1 thread (plus a 2-thread row for
the engine and torch); each timing is the best of ``--repeats`` runs after a
warm-up; on the converted networks the peers take turns (of 5 runs in a row at
batch 1, so a short run finds its data in the caches as in a loop), so that a
slow stretch of a shared machine hits all of them.
Writes the JSON (``ratios`` and the raw timings, event counts, versions) and
prints a Markdown table. Three parts:

* **CUBA** -- the network of Brian2's ``examples/CUBA.py`` (4000 neurons, 3200
  excitatory and 800 inhibitory, p = 0.02, El = -49 mV, Vt = -50 mV, Vr = -60 mV,
  taum = 20 ms, we = 1.62 mV, wi = -9 mV, dt = 0.1 ms, 1 s) with the connectivity
  Brian2 built. Two departures, because the engine's CubaLIF has one synaptic
  current and no refractory period: both synapse types decay with taue = 5 ms
  (CUBA.py: taui = 10 ms), and there is no 5 ms refractory period. Brian2 runs
  exactly this discrete model (``converters.interop.brian2``) with the runtime device
  (numpy and Cython code generation) and ``cpp_standalone``; its own CUBA.py is
  timed too, for reference. Warm: the simulation loop only (Brian2 standalone:
  the binary's own run time). Cold: a fresh process to first result, compilation
  included. The engine's kernel does not depend on the network and ``make setup``
  compiles it once into Numba's disk cache, so its cold start is measured that way
  (``cuba_cold_vs_brian2_standalone``) and also with an empty cache, the kernel
  compiled inside the timed process (``cuba_cold_empty_jit_cache_vs_brian2_standalone``);
  Brian2 standalone generates and compiles code for every network.
* **Converted networks** -- 784-500-500-10 IF with random weights at about 10%
  activity, the trained converted digits-cnn, the trained converted mnist-vgg (28x28
  MNIST, four 3x3 convolutions with BatchNorm and spiking max-pooling, 37,770
  neurons) at T = 32, and the trained mnist1d-lstm in its
  graded (sigma-delta) form at its default threshold, in the engine, in snntorch
  (``converters.to_snntorch``) and in plain torch run dense and clock-driven
  (the same module with plain-torch neurons), float64, batch 1 and 100; the spike
  (event) counts are asserted identical. snntorch has no graded neuron, so the
  LSTM has no snntorch row; its row also times the LSTM itself in torch (the ANN
  before conversion), for context.
* **Event delivery** -- events/s of the engine on the MLP against a minimal CSR
  scatter kernel replaying the same events in the same process: the practical limit.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kernel_throughput import mlp  # noqa: E402

import neuro  # noqa: E402
from neuro import ir  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# CUBA.py's parameters, in mV and seconds
CUBA = {"n": 4000, "n_exc": 3200, "p": 0.02, "taum": 20e-3, "taue": 5e-3, "taui": 10e-3, "El": -49.0,
        "Vt": -50.0, "Vr": -60.0, "we": 60 * 0.27 / 10, "wi": -20 * 4.5 / 10, "dt": 1e-4}


def best_of(function, repeats: int) -> float:
    function()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_interleaved(functions: dict, rounds: int, block: int = 1) -> dict[str, float]:
    """Best time of each function, taking turns: on a shared machine whose speed drifts over
    seconds, every contender then meets the same slow and fast stretches. Each turn is ``block``
    runs in a row, so that a short run finds its data in the caches as it would in a loop, not
    where the previous contender left them."""
    best = dict.fromkeys(functions, float("inf"))
    for function in functions.values():
        function()  # warm-up
    for _ in range(rounds):
        for name, function in functions.items():
            for _ in range(block):
                start = time.perf_counter()
                function()
                best[name] = min(best[name], time.perf_counter() - start)
    return best


# --------------------------------------------------------------------------- CUBA


def brian2_connectivity(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The synapses Brian2 builds for CUBA.py (``connect(p=0.02)``), as (pre, post)."""
    import brian2 as b2

    b2.start_scope()
    b2.seed(seed)
    group = b2.NeuronGroup(CUBA["n"], "v : 1")
    synapses = b2.Synapses(group, group)
    synapses.connect(p=CUBA["p"])
    pre, post = np.asarray(synapses.i[:], np.int64), np.asarray(synapses.j[:], np.int64)
    b2.Network(group, synapses).run(0 * b2.second)  # built for its connectivity only: run for no time
    return pre, post


def cuba_graph(pre: np.ndarray, post: np.ndarray, seed: int, n: int = CUBA["n"]) -> ir.Graph:
    """CUBA's population and synapses; a smaller ``n`` keeps the first 80 % excitatory."""
    dt = CUBA["dt"]
    a_mem = np.exp(-dt / CUBA["taum"])
    weight = np.where(pre < n * CUBA["n_exc"] // CUBA["n"], CUBA["we"], CUBA["wi"])
    # voltages measured from Vr (the IR's thresholds are positive): Vt -> 10 mV, El -> 11 mV, Vr -> 0
    span = CUBA["Vt"] - CUBA["Vr"]
    v0 = np.random.default_rng(seed).random(n) * span
    # dv/dt = (g - (v - El)) / taum integrated exactly over a step: v <- a v + (1 - a) El + (1 - a) g
    population = ir.CubaLIF(tau_syn=np.full(n, CUBA["taue"]), tau_mem=np.full(n, CUBA["taum"]),
                            v_threshold=np.full(n, span), r=np.full(n, 1 - a_mem),
                            v_leak=np.full(n, CUBA["El"] - CUBA["Vr"]), v_reset=np.zeros(n), v_initial=v0,
                            reset="value")
    # delay 1: a spike moves the targets' currents from the next step, as in Brian2's default schedule
    synapses = ir.Sparse(n_in=n, n_out=n, pre=pre, post=post, weight=weight, delay=np.ones(pre.size, np.int64))
    return ir.Graph(nodes={"P": population, "S": synapses}, edges=(("P", "S"), ("S", "P")))


def engine_cuba(graph: ir.Graph, steps: int, repeats: int) -> dict:
    network = neuro.compile_network(graph, dt=CUBA["dt"])
    drive = np.zeros((1, 1, 0))
    # spike counts only, like Brian2's SpikeMonitor(record=False): no per-step membrane record
    run = lambda: neuro.simulate(network, drive, timesteps=steps, threads=1, record_output=False)  # noqa: E731
    seconds = best_of(run, repeats)
    result = run()
    return {"seconds": seconds, "spikes": int(result.spike_counts.sum()),
            "rate_hz": float(result.spike_counts.mean() / (steps * CUBA["dt"])),
            "synops": int(result.counters.synops.sum())}


def brian2_cuba(graph: ir.Graph, steps: int, repeats: int, target: str) -> dict:
    """The same discrete network in Brian2's runtime device (numpy or cython code generation)."""
    import brian2 as b2

    from converters.interop.brian2 import to_brian2

    b2.prefs.codegen.target = target
    b2.set_device("runtime")
    times, spikes = [], None
    for attempt in range(repeats + 1):  # first run: warm-up (code generation, Cython compilation)
        model = to_brian2(graph, np.zeros((1, 0)), steps, dt=CUBA["dt"])
        start = time.perf_counter()
        model.network.run(steps * CUBA["dt"] * b2.second)
        if attempt:
            times.append(time.perf_counter() - start)
        spikes = int(model.monitors["P"].count[:].sum())
    return {"seconds": min(times), "spikes": spikes, "rate_hz": spikes / CUBA["n"] / (steps * CUBA["dt"])}


def brian2_cuba_standalone(graph: ir.Graph, steps: int, repeats: int) -> dict:
    import brian2 as b2

    from converters.interop.brian2 import _EXACT_CPP_FLAGS, to_brian2

    with tempfile.TemporaryDirectory(prefix="cuba-standalone-") as directory:
        b2.set_device("cpp_standalone", build_on_run=False, directory=directory)
        b2.prefs.codegen.cpp.extra_compile_args_gcc = _EXACT_CPP_FLAGS
        try:
            model = to_brian2(graph, np.zeros((1, 0)), steps, dt=CUBA["dt"])
            model.network.run(steps * CUBA["dt"] * b2.second)
            start = time.perf_counter()
            b2.device.build(directory=directory, run=False)  # build() has its own default folder, "output"
            build_seconds = time.perf_counter() - start
            loop, wall = [], []
            for _ in range(repeats + 1):
                start = time.perf_counter()
                b2.device.run(with_output=False)
                wall.append(time.perf_counter() - start)
                loop.append(b2.device._last_run_time)
            spikes = int(model.monitors["P"].count[:].sum())
        finally:
            b2.device.reinit()
            b2.set_device("runtime")
    return {"seconds": min(loop[1:]), "binary_wall_seconds": min(wall[1:]), "build_seconds": build_seconds,
            "spikes": spikes, "rate_hz": spikes / CUBA["n"] / (steps * CUBA["dt"])}


_COLD_ENGINE = """
import time
start = time.perf_counter()
import numpy as np
import neuro
from neuro import io
graph = io.load({graph!r})
result = neuro.simulate(neuro.compile_network(graph, dt={dt}), np.zeros((1, 1, 0)), timesteps={steps}, threads=1,
                        record_output=False)
print(time.perf_counter() - start, int(result.spike_counts.sum()))
"""

_COLD_BRIAN2 = """
import time, sys, tempfile
start = time.perf_counter()
import numpy as np
import brian2 as b2
sys.path.insert(0, {root!r})
from converters.interop.brian2 import _EXACT_CPP_FLAGS, to_brian2
from neuro import io
graph = io.load({graph!r})
with tempfile.TemporaryDirectory() as directory:
    b2.set_device("cpp_standalone", directory=directory)
    b2.prefs.codegen.cpp.extra_compile_args_gcc = _EXACT_CPP_FLAGS
    model = to_brian2(graph, np.zeros((1, 0)), {steps}, dt={dt})
    model.network.run({steps} * {dt} * b2.second)
    spikes = int(model.monitors["P"].count[:].sum())
print(time.perf_counter() - start, spikes)
"""

_ORIGINAL_CUBA = """
import time, tempfile
start = time.perf_counter()
from brian2 import *
with tempfile.TemporaryDirectory() as directory:
    set_device({device!r}, directory=directory) if {device!r} == "cpp_standalone" else None
    prefs.codegen.target = {target!r}
    defaultclock.dt = 0.1*ms
    taum = 20*ms; taue = 5*ms; taui = 10*ms; Vt = -50*mV; Vr = -60*mV; El = -49*mV
    eqs = '''dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt'''
    P = NeuronGroup(4000, eqs, threshold='v>Vt', reset='v = Vr', refractory=5*ms, method='exact')
    P.v = 'Vr + rand() * (Vt - Vr)'
    we = (60*0.27/10)*mV; wi = (-20*4.5/10)*mV
    Ce = Synapses(P, P, on_pre='ge += we'); Ci = Synapses(P, P, on_pre='gi += wi')
    Ce.connect('i<3200', p=0.02); Ci.connect('i>=3200', p=0.02)
    s_mon = SpikeMonitor(P)
    run({seconds} * second)
    spikes = s_mon.num_spikes
print(time.perf_counter() - start, spikes)
"""


def fresh_process(code: str, env: dict | None = None) -> tuple[float, int]:
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                            env={**os.environ, **(env or {})}, timeout=1800)
    seconds, spikes = output.stdout.strip().splitlines()[-1].split()
    return float(seconds), int(spikes)


def cuba_part(steps: int, repeats: int, cold_repeats: int) -> dict:
    from neuro import io

    pre, post = brian2_connectivity(seed=11)
    graph = cuba_graph(pre, post, seed=12)
    out: dict = {"synapses": int(pre.size), "steps": steps, "biological_seconds": steps * CUBA["dt"]}
    print(f"CUBA: {pre.size} synapses from Brian2, {steps} steps", file=sys.stderr)
    out["engine"] = engine_cuba(graph, steps, repeats)
    out["brian2_numpy"] = brian2_cuba(graph, steps, max(1, repeats // 2), "numpy")
    out["brian2_cython"] = brian2_cuba(graph, steps, repeats, "cython")
    out["brian2_cpp_standalone"] = brian2_cuba_standalone(graph, steps, repeats)
    for peer in ("brian2_numpy", "brian2_cython", "brian2_cpp_standalone"):
        assert out[peer]["spikes"] == out["engine"]["spikes"], (peer, out[peer]["spikes"], out["engine"]["spikes"])
    with tempfile.TemporaryDirectory(prefix="cuba-cold-") as scratch:
        path = str(Path(scratch) / "cuba.npz")
        io.save(graph, path)
        engine_code = _COLD_ENGINE.format(graph=path, steps=steps, dt=CUBA["dt"])
        empty = [fresh_process(engine_code, {"NUMBA_CACHE_DIR": tempfile.mkdtemp(dir=scratch)})[0]
                 for _ in range(cold_repeats)]
        fresh_process(engine_code)  # fill the default on-disk cache
        cached = [fresh_process(engine_code)[0] for _ in range(cold_repeats)]
        standalone = [fresh_process(_COLD_BRIAN2.format(root=str(ROOT), graph=path, steps=steps, dt=CUBA["dt"]))[0]
                      for _ in range(cold_repeats)]
    out["cold"] = {"engine_empty_jit_cache": min(empty), "engine_jit_cache_on_disk": min(cached),
                   "brian2_cpp_standalone": min(standalone)}
    seconds = steps * CUBA["dt"]
    out["original_cuba_py"] = {
        "note": "Brian2's CUBA.py as published (taui 10 ms, 5 ms refractory, exact integration), for reference",
        "cpp_standalone_cold": dict(zip(("seconds", "spikes"), fresh_process(
            _ORIGINAL_CUBA.format(device="cpp_standalone", target="numpy", seconds=seconds)), strict=True)),
        "cython_cold": dict(zip(("seconds", "spikes"), fresh_process(
            _ORIGINAL_CUBA.format(device="runtime", target="cython", seconds=seconds)), strict=True)),
    }
    return out


# --------------------------------------------------------------------------- converted networks


def digits_cnn_graph() -> ir.Graph:
    from converters import from_torch, zoo
    from neuro import datasets

    data = datasets.digits()
    return from_torch(zoo.train("digits-cnn"), data.x_train[:500])


def mnist_vgg_graph() -> ir.Graph:
    """The zoo's mnist-vgg, trained with its seeded recipe, converted with its recipe's settings."""
    from converters import from_torch, zoo
    from neuro import datasets

    data = datasets.load("mnist")
    return from_torch(zoo.train("mnist-vgg"), data.x_train[:500], zoo.recipe("mnist-vgg").conversion)


MNIST_VGG_STEPS = 32  # the operating point, whatever --quick says


def mnist1d_lstm() -> tuple[ir.Graph, torch.nn.Module]:
    """The zoo's mnist1d-lstm, trained with its seeded recipe, converted at its default send threshold."""
    from converters import LSTMConfig, from_lstm, zoo

    model = zoo.train("mnist1d-lstm")
    return from_lstm(model, LSTMConfig(threshold=zoo.recipe("mnist1d-lstm").default_threshold)), model


def _workloads(steps: int, rng: np.random.Generator) -> list[tuple[str, ir.Graph, object, int, object]]:
    """(name, graph, drive for a batch, timesteps, the ANN as a torch callable or None) per converted network."""
    from neuro import datasets, encode

    mlp_graph, _ = mlp(rng)
    digits = datasets.digits().x_test
    mnist = datasets.load("mnist").x_test
    sequences = datasets.as_sequence(datasets.mnist1d().x_test)
    lstm_graph, lstm_model = mnist1d_lstm()
    lstm_model = lstm_model.double()
    return [
        ("mlp_784_500_500_10", mlp_graph,
         lambda batch: (rng.random((batch, steps, 784)) < 0.1).astype(np.float64), steps, None),
        ("digits_cnn", digits_cnn_graph(),
         lambda batch: digits[np.arange(batch) % len(digits)].reshape(batch, 1, -1), steps, None),
        ("mnist_vgg", mnist_vgg_graph(),
         lambda batch: mnist[np.arange(batch) % len(mnist)].reshape(batch, 1, -1), MNIST_VGG_STEPS, None),
        # one tick per sequence element: the sequence's length, whatever --quick says
        ("mnist1d_lstm", lstm_graph,
         lambda batch: encode.sequence(sequences[np.arange(batch) % len(sequences)]), sequences.shape[1],
         lambda drive: lstm_model(torch.as_tensor(drive))),
    ]


def _assert_same_counts(spikes: dict, network, result, name: str) -> None:
    batch = result.spike_counts.shape[0]
    for population, steps_spikes in spikes.items():
        assert np.array_equal(steps_spikes.sum(0).reshape(batch, -1).numpy(),
                              result.spike_counts[:, network.slice_of(population)]), (name, population)


def converted_part(steps: int, repeats: int, batches: tuple[int, ...]) -> dict:
    """Each converted network in the engine, snntorch and plain torch (and the LSTM's own ANN forward)."""
    from converters.interop.snntorch import to_snntorch

    rng = np.random.default_rng(0)
    out: dict = {}
    for name, graph, make_drive, timesteps, ann in _workloads(steps, rng):
        network = neuro.compile_network(graph)
        snn_module, torch_module = to_snntorch(graph), to_snntorch(graph, plain=True)
        # graded populations have no snntorch neuron: in such a network both modules are the same plain torch
        has_snntorch_neurons = any(isinstance(graph.nodes[p], ir.IF | ir.LIF) for p in graph.populations)
        for batch in batches:
            drive = make_drive(batch)
            # a batch-1 run takes milliseconds: turns of 5 runs in a row (every peer alike)
            block = 5 if batch == 1 else 1
            row: dict = {"batch": batch, "steps": timesteps, "rounds": repeats, "runs_per_turn": block}
            result = neuro.simulate(network, drive, timesteps=timesteps, threads=1)
            with torch.no_grad():
                _assert_same_counts(torch_module(drive, timesteps), network, result, name)
                if has_snntorch_neurons:
                    _assert_same_counts(snn_module(drive, timesteps), network, result, name)
                for threads in (1, 2):  # the peers take turns run by run (best_of_interleaved)
                    torch.set_num_threads(threads)
                    contenders = {
                        f"engine_{threads}t": lambda: neuro.simulate(network, drive, timesteps=timesteps,  # noqa: B023
                                                                     threads=threads),  # noqa: B023
                        f"torch_{threads}t": lambda: torch_module(drive, timesteps),  # noqa: B023
                    }
                    if threads == 1 and has_snntorch_neurons:
                        contenders["snntorch_1t"] = lambda: snn_module(drive, timesteps)  # noqa: B023
                    if threads == 1 and ann is not None:  # the network before conversion, dense: context, not a peer
                        contenders["ann_torch_1t"] = lambda: ann(drive)  # noqa: B023
                    row.update(best_of_interleaved(contenders, repeats, block))
                torch.set_num_threads(1)
            row.setdefault("snntorch_1t", None)  # graded populations have no snntorch neuron
            row["events"] = int(result.counters.events.sum())
            row["synops"] = int(result.counters.synops.sum())
            row["activity"] = [float(result.spike_counts[:, network.slice_of(p)].mean() / timesteps)
                               for p in graph.populations]
            out[f"{name}_batch{batch}"] = row
            snntorch_time = "n/a" if row["snntorch_1t"] is None else f"{row['snntorch_1t']:.4f}s"
            print(f"{name} batch {batch}: engine {row['engine_1t']:.4f}s torch {row['torch_1t']:.4f}s "
                  f"snntorch {snntorch_time}", file=sys.stderr)
    return out


# --------------------------------------------------------------------------- delivery limit


@numba.njit(cache=True)
def _csr_replay(indptr, indices, weights, events_ptr, events, n_targets):
    """The least any event-driven engine must do: add each event's row of weights to its targets."""
    accumulator = np.zeros(n_targets)
    for step in range(events_ptr.shape[0] - 1):
        for e in range(events_ptr[step], events_ptr[step + 1]):
            source = events[e]
            for k in range(indptr[source], indptr[source + 1]):
                accumulator[indices[k]] += weights[k]
    return accumulator


def delivery_part(steps: int, repeats: int) -> dict:
    """Events/s of the engine on the MLP (batch 1, 1 thread) against the CSR replay of its events."""
    from scipy import sparse as sp

    rng = np.random.default_rng(1)
    graph, weights = mlp(rng)
    network = neuro.compile_network(graph)
    drive = (rng.random((1, steps, 784)) < 0.1).astype(np.float64)
    result = neuro.simulate(network, drive, timesteps=steps, threads=1)
    engine_seconds = best_of(lambda: neuro.simulate(network, drive, timesteps=steps, threads=1), repeats)
    events = int(result.counters.events.sum()) - int(result.counters.events[:, -1].sum())  # events that are delivered
    # one block-diagonal CSR over the three layers; replay the same number of events per step, round-robin
    blocks = sp.block_diag([sp.csr_matrix(w.T) for w in weights], format="csr")
    order = rng.permutation(blocks.shape[0])[:max(1, events // steps)]
    events_ptr = np.arange(0, (steps + 1) * order.size, order.size, dtype=np.int64)
    replay = np.tile(order, steps).astype(np.int64)
    synops_replayed = int(np.diff(blocks.indptr)[replay].sum())
    limit_seconds = best_of(lambda: _csr_replay(blocks.indptr.astype(np.int64), blocks.indices.astype(np.int64),
                                                blocks.data, events_ptr, replay, blocks.shape[1]), repeats)
    engine_rate, limit_rate = events / engine_seconds, replay.size / limit_seconds
    return {"engine_events": events, "engine_seconds": engine_seconds, "engine_events_per_s": engine_rate,
            "engine_synops_per_s": int(result.counters.synops.sum()) / engine_seconds,
            "csr_events": int(replay.size), "csr_seconds": limit_seconds, "csr_events_per_s": limit_rate,
            "csr_synops_per_s": synops_replayed / limit_seconds}


# --------------------------------------------------------------------------- report


def versions() -> dict:
    import brian2
    import snntorch

    return {"python": platform.python_version(), "numpy": np.__version__, "numba": numba.__version__,
            "torch": torch.__version__, "brian2": brian2.__version__, "snntorch": snntorch.__version__,
            "machine": platform.machine(), "processor": platform.processor(), "cpus": os.cpu_count()}


def markdown(results: dict) -> str:
    lines = ["| measurement | ours (s) | peer | peer (s) | ratio |", "|---|---|---|---|---|"]
    cuba = results["cuba"]
    for peer in ("brian2_numpy", "brian2_cython", "brian2_cpp_standalone"):
        lines.append(f"| CUBA warm, {cuba['steps']} steps | {cuba['engine']['seconds']:.3f} | {peer} | "
                     f"{cuba[peer]['seconds']:.3f} | {cuba['engine']['seconds'] / cuba[peer]['seconds']:.3f} |")
    cold = cuba["cold"]
    for label in ("engine_empty_jit_cache", "engine_jit_cache_on_disk"):
        lines.append(f"| CUBA cold ({label}) | {cold[label]:.2f} | brian2_cpp_standalone | "
                     f"{cold['brian2_cpp_standalone']:.2f} | {cold[label] / cold['brian2_cpp_standalone']:.3f} |")
    for name, row in results["converted"].items():
        for peer in ("snntorch_1t", "torch_1t", "torch_2t", "ann_torch_1t"):
            ours = row["engine_2t" if peer == "torch_2t" else "engine_1t"]
            if row.get(peer) is None:
                if peer == "snntorch_1t":
                    lines.append(f"| {name} | {ours:.4f} | snntorch | — (no graded neuron) | — |")
                continue
            lines.append(f"| {name} | {ours:.4f} | {peer} | {row[peer]:.4f} | {ours / row[peer]:.3f} |")
    delivery = results["delivery"]
    lines.append(f"| delivery (events/s) | {delivery['engine_events_per_s']:.3g} | CSR limit | "
                 f"{delivery['csr_events_per_s']:.3g} | {results['ratios']['delivery_vs_csr_limit']:.3f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", required=True, help="write the results here")
    parser.add_argument("--quick", action="store_true", help="0.1 s of CUBA, T = 20, fewer repeats")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    repeats = 2 if args.quick else args.repeats
    numba.set_num_threads(1)
    torch.set_num_threads(1)
    results = {"versions": versions(), "repeats": repeats, "quick": args.quick}
    results["cuba"] = cuba_part(steps=1000 if args.quick else 10000, repeats=repeats,
                                cold_repeats=1 if args.quick else 3)
    results["converted"] = converted_part(steps=20 if args.quick else 100, repeats=repeats, batches=(1, 100))
    results["delivery"] = delivery_part(steps=20 if args.quick else 100, repeats=repeats)
    cuba, conv = results["cuba"], results["converted"]
    mlp1, mlp100 = conv["mlp_784_500_500_10_batch1"], conv["mlp_784_500_500_10_batch100"]
    results["ratios"] = {
        "cuba_warm_vs_brian2_standalone": cuba["engine"]["seconds"] / cuba["brian2_cpp_standalone"]["seconds"],
        # the engine's kernel is network-independent and compiled once at `make setup`; Brian2's standalone code
        # is generated and compiled for every network. Both readings are kept:
        "cuba_cold_vs_brian2_standalone": cuba["cold"]["engine_jit_cache_on_disk"]
        / cuba["cold"]["brian2_cpp_standalone"],
        "cuba_cold_empty_jit_cache_vs_brian2_standalone": cuba["cold"]["engine_empty_jit_cache"]
        / cuba["cold"]["brian2_cpp_standalone"],
        "batch1_speedup_vs_snntorch": mlp1["snntorch_1t"] / mlp1["engine_1t"],
        "batch1_speedup_vs_torch": mlp1["torch_1t"] / mlp1["engine_1t"],
        "batch100_speedup_vs_torch": mlp100["torch_1t"] / mlp100["engine_1t"],
        "digits_cnn_batch1_speedup_vs_snntorch": conv["digits_cnn_batch1"]["snntorch_1t"]
        / conv["digits_cnn_batch1"]["engine_1t"],
        "digits_cnn_batch1_speedup_vs_torch": conv["digits_cnn_batch1"]["torch_1t"]
        / conv["digits_cnn_batch1"]["engine_1t"],
        "digits_cnn_batch100_speedup_vs_torch": conv["digits_cnn_batch100"]["torch_1t"]
        / conv["digits_cnn_batch100"]["engine_1t"],
        "mnist_vgg_batch1_vs_torch": conv["mnist_vgg_batch1"]["torch_1t"] / conv["mnist_vgg_batch1"]["engine_1t"],
        "mnist_vgg_batch1_vs_snntorch": conv["mnist_vgg_batch1"]["snntorch_1t"]
        / conv["mnist_vgg_batch1"]["engine_1t"],
        "mnist_vgg_batch100_vs_torch": conv["mnist_vgg_batch100"]["torch_1t"]
        / conv["mnist_vgg_batch100"]["engine_1t"],
        # synaptic operations per second of the engine, one thread (the batch's total over its run time)
        "mnist_vgg_batch1_synops_per_s": conv["mnist_vgg_batch1"]["synops"] / conv["mnist_vgg_batch1"]["engine_1t"],
        "mnist_vgg_batch100_synops_per_s": conv["mnist_vgg_batch100"]["synops"]
        / conv["mnist_vgg_batch100"]["engine_1t"],
        "mnist1d_lstm_batch1_speedup_vs_torch": conv["mnist1d_lstm_batch1"]["torch_1t"]
        / conv["mnist1d_lstm_batch1"]["engine_1t"],
        "mnist1d_lstm_batch100_speedup_vs_torch": conv["mnist1d_lstm_batch100"]["torch_1t"]
        / conv["mnist1d_lstm_batch100"]["engine_1t"],
        "delivery_vs_csr_limit": results["delivery"]["engine_events_per_s"] / results["delivery"]["csr_events_per_s"],
        "cuba_rate_hz_engine": cuba["engine"]["rate_hz"],
        "cuba_rate_hz_brian2_standalone": cuba["brian2_cpp_standalone"]["rate_hz"],
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    neuro.io.write_json(args.json, results)
    print(markdown(results))
    print(neuro.io.to_json(results["ratios"]).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
