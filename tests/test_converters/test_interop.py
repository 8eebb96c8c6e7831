"""Brian2, snntorch and NIR run the same networks as the engine, spike for spike."""

import itertools
import sys
from pathlib import Path

import nir
import numpy as np
import pytest
import snntorch as snn
import torch
from snntorch.export_nir import export_to_nir

from converters import ConversionError, LSTMConfig, from_lstm, from_nir, from_snntorch, run_brian2, to_nir, to_snntorch
from converters.interop.nir import read_nir, write_nir
from converters.lstm.graded import SequenceClassifier
from neuro import compile_network, datasets, encode, io, ir
from neuro.app.cli import main
from neuro.engine import simulate

sys.path.insert(0, str(Path(__file__).parents[1] / "test_neuro"))
from networks import build_network  # noqa: E402

CASES = list(itertools.product(["vector", "signal", "image"], ["conv", "pool-conv", "dense"], ["IF", "LIF"]))


def _counts(network, result, name):
    return result.spike_counts[:, network.slice_of(name)]


def _snntorch_ready(graph: ir.Graph) -> ir.Graph:
    """The generated networks without the features snntorch's Leaky lacks (a leak target, a reset value)."""
    nodes = dict(graph.nodes)
    for name, node in nodes.items():
        if isinstance(node, ir.LIF):
            nodes[name] = ir.LIF(tau=node.tau, v_threshold=node.v_threshold, v_initial=node.v_initial,
                                 reset=node.reset)
        elif isinstance(node, ir.IF):
            nodes[name] = ir.IF(v_threshold=node.v_threshold, v_initial=node.v_initial, reset=node.reset)
    return ir.Graph(nodes=nodes, edges=graph.edges)


@pytest.mark.parametrize("seed", range(6))
def test_brian2_runtime_equals_engine_on_generated_networks(seed):
    """Every population's count, with delays, recurrence, CubaLIF, both resets and both latency models."""
    rng = np.random.default_rng(seed)
    inp, first, pop1 = CASES[seed * 3 % len(CASES)]
    graph = build_network(seed, inp, first, ["dense", "sparse"][seed % 2], [pop1, "CubaLIF"][seed % 2], "LIF",
                          ["subtract", "value"][seed // 3], recurrent=seed % 3 == 0, residual=seed == 4)
    latency = ["same-step", "pipelined"][seed % 2]
    network = compile_network(graph, latency_model=latency)
    drive = rng.integers(-4, 9, size=(2, 12, network.n_inputs)) / 8
    ours = simulate(network, drive, timesteps=12)
    theirs = run_brian2(graph, drive, 12, latency_model=latency)
    assert set(theirs) == set(graph.populations)
    for name, counts in theirs.items():
        np.testing.assert_array_equal(counts, _counts(network, ours, name), err_msg=name)


@pytest.mark.parametrize("case", CASES)
def test_snntorch_module_equals_engine_on_generated_networks(case):
    inp, first, pop1 = case
    seed = CASES.index(case)
    graph = _snntorch_ready(build_network(seed, inp, first, "dense", pop1, ["LIF", "IF"][seed % 2],
                                          ["subtract", "value"][seed % 2], False, residual=seed % 3 == 0))
    network = compile_network(graph)
    drive = np.random.default_rng(seed).integers(-4, 9, size=(3, 12, network.n_inputs)) / 8
    ours = simulate(network, drive, timesteps=12)
    with torch.no_grad():
        spikes = to_snntorch(graph)(drive, 12)
    for name, steps in spikes.items():
        np.testing.assert_array_equal(steps.sum(0).reshape(3, -1).numpy(), _counts(network, ours, name))
    np.testing.assert_array_equal(spikes[graph.output].reshape(12, 3, -1).permute(1, 0, 2).numpy(),
                                  ours.output_steps)


@pytest.mark.parametrize("gate", [True, "pooled"])
@pytest.mark.parametrize("seed, inp", [(0, "image"), (1, "signal"), (2, "image")])
def test_snntorch_module_gates_max_pooling_as_the_engine_does(seed, inp, gate):
    # a spiking max-pool (alone, or followed by overlapping average pooling) after a binary population: every
    # population's count and the output's spikes per step equal the engine's
    graph = _snntorch_ready(build_network(seed, inp, "conv", "dense", "IF", "IF", ["subtract", "value"][seed % 2],
                                          False, False, gate=gate))
    assert any(isinstance(node, ir.GATE_TYPES) for node in graph.nodes.values())
    network = compile_network(graph)
    drive = np.random.default_rng(seed).integers(-4, 9, size=(3, 12, network.n_inputs)) / 8
    ours = simulate(network, drive, timesteps=12)
    assert ours.counters.events[:, network.names.index("pop1")].sum() > 0
    with torch.no_grad():
        spikes = to_snntorch(graph)(drive, 12)
    for name, steps in spikes.items():
        np.testing.assert_array_equal(steps.sum(0).reshape(3, -1).numpy(), _counts(network, ours, name), name)
    np.testing.assert_array_equal(spikes[graph.output].reshape(12, 3, -1).permute(1, 0, 2).numpy(),
                                  ours.output_steps)


@pytest.mark.parametrize("threshold", [0.0, 0.05])
def test_snntorch_module_runs_a_graded_two_layer_lstm_like_the_engine(threshold):
    """Sigma-delta and product populations, a recurrence through delayed Sparse maps, biases held once."""
    torch.manual_seed(3)
    graph = from_lstm(SequenceClassifier(3, 6, 4, num_layers=2), LSTMConfig(threshold=threshold))
    x = np.random.default_rng(3).normal(0.0, 1.0, (4, 7, 3))
    network = compile_network(graph)
    ours = simulate(network, encode.sequence(x), timesteps=7)
    with torch.no_grad():
        events = to_snntorch(graph, plain=True)(encode.sequence(x), 7)
    assert set(events) == set(graph.populations)
    for name, steps in events.items():
        np.testing.assert_array_equal(steps.sum(0).reshape(4, -1).numpy(), _counts(network, ours, name), err_msg=name)
    assert ours.counters.events.sum() > 100


def test_brian2_and_snntorch_run_a_binary_lstm_with_the_engine_s_spikes():
    """The binary LSTM is LIF neurons and ordinary synapses only: both peers take it as it is."""
    from converters.lstm.binary import BinaryLSTMConfig, from_lstm_binary

    torch.manual_seed(3)
    graph = from_lstm_binary(SequenceClassifier(2, 3, 4).eval(), BinaryLSTMConfig(levels=4, cell_levels=4))
    x = np.random.default_rng(3).normal(0.0, 1.0, (2, 5, 2))
    network = compile_network(graph)
    ours = simulate(network, encode.sequence(x), timesteps=5)
    theirs = run_brian2(graph, encode.sequence(x), 5)
    with torch.no_grad():
        spikes = to_snntorch(graph)(encode.sequence(x), 5)
    assert set(theirs) == set(spikes) == set(graph.populations)
    for name in graph.populations:
        np.testing.assert_array_equal(theirs[name], _counts(network, ours, name), err_msg=name)
        np.testing.assert_array_equal(spikes[name].sum(0).reshape(2, -1).numpy(), _counts(network, ours, name))
    assert all(_counts(network, ours, name).sum() > 0 for name in ("l0_ig", "l0_fc", "l0_oc", "l0_h"))


def test_snntorch_module_refuses_a_sparse_map_with_mixed_delays():
    graph = ir.Graph(nodes={"in": ir.Input((2,)),
                            "syn": ir.Sparse(2, 2, [0, 1], [1, 0], [1.0, 1.0], delay=[0, 2]),
                            "n": ir.IF.uniform((2,))}, edges=(("in", "syn"), ("syn", "n")))
    with pytest.raises(ConversionError, match="different delays"):
        to_snntorch(graph)


def test_converted_digits_cnn_runs_identically_in_engine_brian2_and_snntorch(digits_cnn):
    """Brian2 runtime and cpp_standalone, and snntorch, on the trained converted CNN.

    The counts are identical neuron for neuron. Brian2 is compiled without -ffast-math
    and adds a target's inputs by source neuron; the engine walks a convolution's target
    population channels-last, so a sum may round differently in its last bit, which no
    count here depends on. The snntorch module runs in float64 and fires at equality like
    the engine.
    """
    graph = io.load(digits_cnn)
    data = datasets.digits()
    drive = data.x_test[:3].reshape(3, 1, -1)
    network = compile_network(graph)
    ours = simulate(network, drive, timesteps=16)
    runtime = run_brian2(graph, drive, 16)
    standalone = run_brian2(graph, drive, 16, device="cpp_standalone")
    assert not (Path.cwd() / "output").exists()  # Brian2's default project folder: the build stays in a temp dir
    with torch.no_grad():
        spikes = to_snntorch(graph)(drive, 16)
    for name in graph.populations:
        expected = _counts(network, ours, name)
        assert expected.sum() > 0
        np.testing.assert_array_equal(runtime[name], expected, err_msg=f"runtime {name}")
        np.testing.assert_array_equal(standalone[name], expected, err_msg=f"cpp_standalone {name}")
        np.testing.assert_array_equal(spikes[name].sum(0).reshape(3, -1).numpy(), expected, err_msg=name)


def _snntorch_net(reset: str, beta: float, reset_delay: bool = True) -> torch.nn.Sequential:
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(40, 64), snn.Leaky(beta=torch.full((64,), beta), threshold=torch.ones(64), init_hidden=True,
                                           reset_mechanism=reset, reset_delay=reset_delay),
        torch.nn.Linear(64, 10), snn.Leaky(beta=torch.full((10,), beta), threshold=torch.ones(10), init_hidden=True,
                                           reset_mechanism=reset, reset_delay=reset_delay, output=True))


def _snntorch_counts(net, x, steps):
    from snntorch import utils

    utils.reset(net)
    with torch.no_grad():
        return torch.stack([net(x)[0] for _ in range(steps)]).sum(0).numpy()


@pytest.mark.parametrize(("reset", "beta", "reset_delay"), [("zero", 0.9, True), ("subtract", 1.0, True),
                                                           ("subtract", 0.85, False)])
def test_from_snntorch_gives_the_same_output_spikes(reset, beta, reset_delay):
    """float32 snntorch against the float64 engine: equal counts here (a tie within float32 rounding
    could differ; none occurs on these seeded inputs)."""
    net = _snntorch_net(reset, beta, reset_delay)
    x = torch.rand(16, 40, generator=torch.Generator().manual_seed(1)) * 4
    graph = from_snntorch(net, (40,))
    network = compile_network(graph)
    ours = _counts(network, simulate(network, x.numpy()[:, None, :], timesteps=50), graph.output)
    expected = _snntorch_counts(net, x, 50)
    assert expected.sum() > 50
    np.testing.assert_array_equal(ours, expected)


def test_from_snntorch_refuses_what_the_engine_would_run_differently():
    with pytest.raises(ConversionError, match="reset_delay=False"):
        from_snntorch(_snntorch_net("subtract", 0.9), (40,))
    with pytest.raises(ConversionError, match="Dropout"):
        from_snntorch(torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Dropout()), (4,))


def test_nir_written_by_snntorch_runs_in_the_engine_with_snntorch_spikes():
    net = _snntorch_net("zero", 0.9)
    x = torch.rand(16, 40, generator=torch.Generator().manual_seed(2)) * 4
    graph = from_nir(export_to_nir(net, x[0]))
    network = compile_network(graph)
    ours = _counts(network, simulate(network, x.numpy()[:, None, :], timesteps=50), graph.output)
    expected = _snntorch_counts(net, x, 50)
    assert expected.sum() > 50
    np.testing.assert_array_equal(ours, expected)


@pytest.mark.parametrize("seed", range(4))
def test_nir_round_trip_through_a_file_is_identity(seed, tmp_path):
    graph = build_network(seed, ["vector", "image"][seed % 2], ["conv", "pool-conv"][seed // 2], "dense",
                          ["IF", "LIF"][seed % 2], ["LIF", "IF"][seed // 2], ["subtract", "value"][seed % 2],
                          False, False)
    write_nir(to_nir(graph, extensions=True), tmp_path / "net.nir")
    back = from_nir(read_nir(tmp_path / "net.nir"))
    assert ir.equal(back, ir.Graph(nodes=graph.nodes, edges=graph.edges, metadata=back.metadata))


@pytest.mark.parametrize("readout", ["membrane", "count", None])
def test_nir_round_trip_keeps_the_readout(readout, tmp_path):
    graph = build_network(2, "vector", "dense", "dense", "IF", "IF", "value", False, False)
    conversion = {} if readout is None else {"conversion": {"readout": readout}}
    graph = ir.Graph(nodes=graph.nodes, edges=graph.edges, metadata={**graph.metadata, **conversion})
    if readout == "membrane":  # an Output passes spikes: other tools would count them
        with pytest.raises(ConversionError, match="membrane.*extensions=True"):
            to_nir(graph)
    write_nir(to_nir(graph, extensions=True), tmp_path / "net.nir")
    back = from_nir(read_nir(tmp_path / "net.nir"))
    assert back.metadata.get("conversion", {}).get("readout", "count") == (readout or "count")


def test_nir_export_refuses_silent_changes_and_bad_files(tmp_path):
    graph = build_network(0, "vector", "dense", "dense", "IF", "LIF", "subtract", False, False)
    with pytest.raises(ConversionError, match="extensions=True"):
        to_nir(graph)
    gated = build_network(1, "image", "conv", "dense", "IF", "IF", "value", False, False, gate=True)
    with pytest.raises(ConversionError, match="max-pool"):
        to_nir(gated, extensions=True)
    graded = ir.Graph(nodes={"in": ir.Input((2,)), "w": ir.Dense(np.eye(2)), "s": ir.SigmaDelta(threshold=np.zeros(2))},
                      edges=(("in", "w"), ("w", "s")))
    with pytest.raises(ConversionError, match="graded events"):
        to_nir(graded)
    (tmp_path / "bad.nir").write_bytes(b"not hdf5")
    with pytest.raises(ConversionError, match="bad.nir"):
        read_nir(tmp_path / "bad.nir")
    nested = nir.NIRGraph(nodes={"input": nir.Input(np.array([2])), "inner": nir.NIRGraph(nodes={}, edges=[]),
                                 "output": nir.Output(np.array([2]))}, edges=[("input", "inner"), ("inner", "output")],
                          type_check=False)
    with pytest.raises(ConversionError, match="nested"):
        from_nir(nested)


def test_cli_export_and_import(digits_cnn, tmp_path, capsys):
    nir_file = tmp_path / "cnn.nir"
    assert main(["export", str(digits_cnn), "--to", "nir", "--out", str(nir_file)]) == 2  # subtract reset
    assert "--nir-extensions" in capsys.readouterr().err and not nir_file.exists()
    assert main(["export", str(digits_cnn), "--to", "nir", "--out", str(nir_file), "--nir-extensions"]) == 0
    assert main(["import", str(nir_file), "--out", str(tmp_path / "back.npz")]) == 0
    original, back = io.load(digits_cnn), io.load(tmp_path / "back.npz")
    assert set(back.nodes) == set(original.nodes)
    assert back.metadata["conversion"]["readout"] == original.metadata["conversion"]["readout"] == "membrane"
    for name, node in original.nodes.items():  # every parameter's value comes back, not only its name
        fields, returned = ir.node_fields(node), ir.node_fields(back.nodes[name])
        assert type(back.nodes[name]) is type(node) and returned.keys() == fields.keys()
        for field, value in fields.items():
            if isinstance(value, np.ndarray):  # time constants pass through exp/log: equal to rounding
                np.testing.assert_allclose(returned[field], value, rtol=1e-12, atol=0, err_msg=f"{name}.{field}")
            else:
                assert returned[field] == value, f"{name}.{field}"
    script = tmp_path / "cnn_snntorch.py"
    assert main(["export", str(digits_cnn), "--to", "snntorch", "--out", str(script)]) == 0
    assert script.with_suffix(".npz").exists() and "to_snntorch" in script.read_text()
    (tmp_path / "broken.nir").write_text("garbage")
    assert main(["import", str(tmp_path / "broken.nir"), "--out", str(tmp_path / "x.npz")]) == 2
    assert "not a readable NIR file" in capsys.readouterr().err and not (tmp_path / "x.npz").exists()


def test_cli_exports_a_graded_lstm_to_a_torch_script_that_counts_what_the_engine_counts(tmp_path, capsys):
    import subprocess

    torch.manual_seed(4)
    graph = from_lstm(SequenceClassifier(2, 5, 3), LSTMConfig(threshold=0.02))
    net = io.save(graph, tmp_path / "lstm.npz")
    assert main(["export", str(net), "--to", "brian2", "--out", str(tmp_path / "b.py")]) == 2  # no graded neuron
    assert "SigmaDelta" in capsys.readouterr().err and not (tmp_path / "b.py").exists()
    script = tmp_path / "lstm_torch.py"
    assert main(["export", str(net), "--to", "snntorch", "--out", str(script)]) == 0
    printed = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True,
                             cwd=tmp_path).stdout
    network = compile_network(graph)
    ours = simulate(network, np.full((1, 1, 2), 0.5), timesteps=32)
    expected = {name: int(_counts(network, ours, name).sum()) for name in graph.populations}
    assert dict((name, int(count)) for name, count in (line.split() for line in printed.splitlines())) == expected
    assert sum(expected.values()) > 0


def _small_nir(nir_dt=None):
    graph = ir.Graph(nodes={"in": ir.Input((3,)), "w": ir.Dense(np.eye(3)), "n": ir.IF.uniform((3,), reset="value")},
                     edges=(("in", "w"), ("w", "n")))
    nir_graph = to_nir(graph)
    if nir_dt is not None:
        nir_graph.metadata["neuro_nir_dt"] = nir_dt
    return nir_graph


@pytest.mark.parametrize("nir_dt", [0.0, -1e-4, float("nan"), float("inf")])
def test_from_nir_refuses_a_step_that_is_not_positive_and_finite(nir_dt):
    # issue 21: nir_dt 0 gave every gain r = nir_dt R = 0, a silent network (accuracy 0.10)
    with pytest.raises(ConversionError, match="nir_dt must be a positive, finite number of seconds"):
        from_nir(_small_nir(), nir_dt=nir_dt)
    with pytest.raises(ConversionError, match="neuro_nir_dt"):  # a damaged recorded step likewise
        from_nir(_small_nir(nir_dt=nir_dt))
    graph = from_nir(_small_nir())
    assert graph.metadata["nir_dt"] == 1e-4
    with pytest.raises(ConversionError, match="nir_dt"):  # and on the way out
        to_nir(graph, nir_dt=nir_dt)


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf"])
def test_cli_import_refuses_a_bad_nir_dt_in_one_line(tmp_path, capsys, value):
    write_nir(_small_nir(), tmp_path / "net.nir")
    out = tmp_path / "net.npz"
    assert main(["import", str(tmp_path / "net.nir"), "--nir-dt", value, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "neuro import: error: --nir-dt must be a positive, finite number" in err
    assert not out.exists()
    assert main(["import", str(tmp_path / "net.nir"), "--nir-dt", "1e-3", "--out", str(out)]) == 0
    assert io.load(out).metadata["nir_dt"] == 1e-3
    # the step's effect: the file was written at 1e-4 s (R = r / 1e-4), so reading it at 1e-3 s gives the IF
    # neurons ten times the gain r = nir_dt R that the default import gives
    default = tmp_path / "default.npz"
    assert main(["import", str(tmp_path / "net.nir"), "--out", str(default)]) == 0
    np.testing.assert_allclose(io.load(out).nodes["n"].r, 10 * io.load(default).nodes["n"].r, rtol=1e-12)
    np.testing.assert_allclose(io.load(default).nodes["n"].r, 1.0, rtol=1e-12)


def test_cli_import_names_the_file_of_a_bad_recorded_step(tmp_path, capsys):
    write_nir(_small_nir(nir_dt=0.0), tmp_path / "net.nir")
    assert main(["import", str(tmp_path / "net.nir"), "--out", str(tmp_path / "net.npz")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{tmp_path / 'net.nir'}: the NIR graph's recorded step" in err


def test_a_nir_file_that_unpacks_beyond_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    import h5py

    from converters.interop.nir import read_nir

    path = tmp_path / "bomb.nir"
    with h5py.File(path, "w") as stream:  # 8 MiB of zeros, compressed to a few KB
        stream.create_dataset("node/weight", data=np.zeros(2**20), compression="gzip")
    assert path.stat().st_size < 200_000
    monkeypatch.setenv("NEURO_MAX_BYTES", "1M")
    with pytest.raises(ConversionError, match="bomb.nir: the datasets of bomb.nir would take 8.0 MiB, over"):
        read_nir(path)
