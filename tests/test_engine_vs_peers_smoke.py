"""Smoke version of benchmarks/engine_vs_peers.py: the same spike counts in every engine on tiny cases.

No timings here; the benchmark measures speed.
"""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import torch

import neuro
from converters import run_brian2, to_snntorch

_PATH = Path(__file__).parents[1] / "benchmarks" / "engine_vs_peers.py"
sys.path.insert(0, str(_PATH.parent))
_spec = importlib.util.spec_from_file_location("engine_vs_peers", _PATH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_cuba_network_from_brian2_connectivity_spikes_the_same_in_brian2():
    pre, post = bench.brian2_connectivity(seed=3)
    keep = (pre < 400) & (post < 400)  # a 400-neuron corner of the Brian2-built network
    graph = bench.cuba_graph(pre[keep], post[keep], seed=4, n=400)
    network = neuro.compile_network(graph, dt=bench.CUBA["dt"])
    ours = neuro.simulate(network, np.zeros((1, 1, 0)), timesteps=300).spike_counts
    theirs = run_brian2(graph, np.zeros((1, 1, 0)), 300, dt=bench.CUBA["dt"])["P"]
    assert ours.sum() > 100
    np.testing.assert_array_equal(theirs, ours)


def test_converted_mlp_spikes_the_same_in_the_engine_snntorch_and_plain_torch():
    rng = np.random.default_rng(0)
    graph, _ = bench.mlp(rng)
    network = neuro.compile_network(graph)
    drive = (rng.random((2, 10, 784)) < 0.1).astype(np.float64)
    ours = neuro.simulate(network, drive, timesteps=10)
    with torch.no_grad():
        for plain in (False, True):
            spikes = to_snntorch(graph, plain=plain)(drive, 10)
            for name, steps in spikes.items():
                np.testing.assert_array_equal(steps.sum(0).numpy(), ours.spike_counts[:, network.slice_of(name)])
    assert ours.counters.events.sum() > 0


def test_graded_lstm_events_are_the_same_in_the_engine_and_plain_torch():
    """The benchmark's LSTM row on an untrained mnist1d-lstm at its default threshold, a few sequences."""
    from converters import LSTMConfig, from_lstm, zoo
    from neuro import datasets, encode

    torch.manual_seed(0)
    graph = from_lstm(zoo.build("mnist1d-lstm"), LSTMConfig(threshold=zoo.recipe("mnist1d-lstm").default_threshold))
    drive = encode.sequence(datasets.as_sequence(datasets.mnist1d().x_test[:3]))
    network = neuro.compile_network(graph)
    ours = neuro.simulate(network, drive, timesteps=drive.shape[1])
    with torch.no_grad():
        events = to_snntorch(graph, plain=True)(drive, drive.shape[1])
    bench._assert_same_counts(events, network, ours, "mnist1d-lstm")
    assert ours.counters.events.sum() > 100


def test_csr_limit_kernel_adds_every_event_row():
    rng = np.random.default_rng(1)
    from scipy import sparse as sp

    matrix = sp.random(30, 20, density=0.3, random_state=1, format="csr")
    events = rng.integers(0, 30, 12).astype(np.int64)
    result = bench._csr_replay(matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64), matrix.data,
                               np.array([0, 5, 12], np.int64), events, 20)
    np.testing.assert_allclose(result, np.asarray(matrix[events].sum(axis=0)).ravel())
