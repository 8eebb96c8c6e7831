"""The resource policy: allocations are checked before they are made, with one line that says what to change."""

import numpy as np
import pytest

import neuro
from neuro import encode, ir
from neuro.limits import DEFAULT_MAX_BYTES, check_allocation, max_bytes


def _net():
    graph = ir.Graph(nodes={"in": ir.Input((3,)), "w": ir.Dense(np.ones((2, 3)) / 4), "n": ir.IF.uniform((2,))},
                     edges=(("in", "w"), ("w", "n")))
    return neuro.compile_network(graph)


@pytest.mark.parametrize("text, expected", [("", DEFAULT_MAX_BYTES), ("1000", 1000), ("16G", 16 * 2**30),
                                            ("512m", 512 * 2**20), ("2KB", 2048), ("1.5K", 1536)])
def test_the_limit_reads_the_environment(monkeypatch, text, expected):
    monkeypatch.setenv("NEURO_MAX_BYTES", text)
    assert max_bytes() == expected


@pytest.mark.parametrize("text", ["lots", "-5", "0"])
def test_a_bad_limit_is_refused_by_name(monkeypatch, text):
    monkeypatch.setenv("NEURO_MAX_BYTES", text)
    with pytest.raises(ValueError, match="NEURO_MAX_BYTES"):
        max_bytes()


def test_an_allocation_exactly_at_the_limit_passes_and_one_byte_more_does_not(monkeypatch):
    monkeypatch.setenv("NEURO_MAX_BYTES", "1000")
    check_allocation("a test array", 1000, "make it smaller")
    with pytest.raises(ValueError, match=r"a test array would take 1001 bytes, over the limit of 1000 bytes; "
                                         r"make it smaller \(or set NEURO_MAX_BYTES"):
        check_allocation("a test array", 1001, "make it smaller")


def test_a_billion_timesteps_is_refused_before_anything_is_allocated():
    net = _net()
    with pytest.raises(ValueError, match="1000000000 steps .* over the limit .* lower the timesteps"):
        neuro.simulate(net, encode.constant(np.ones((4, 3))), timesteps=1_000_000_000)
    with pytest.raises(ValueError, match="Poisson input .* over the limit"):
        encode.poisson(np.full((4, 3), 0.5), 1_000_000_000, np.random.default_rng(0))
    with pytest.raises(ValueError, match="positive integer"):
        neuro.simulate(net, encode.constant(np.ones((4, 3))), timesteps=True)


def test_the_limit_counts_the_recorded_output_exactly(monkeypatch):
    # 4 samples x 10 steps x 2 output neurons x 12 bytes (int32 spikes and float64 membranes) = 960 bytes
    net = _net()
    monkeypatch.setenv("NEURO_MAX_BYTES", "960")
    neuro.simulate(net, encode.constant(np.ones((4, 3))), timesteps=10)
    monkeypatch.setenv("NEURO_MAX_BYTES", "959")
    with pytest.raises(ValueError, match="960 bytes"):
        neuro.simulate(net, encode.constant(np.ones((4, 3))), timesteps=10)
    neuro.simulate(net, encode.constant(np.ones((4, 3))), timesteps=10, record_output=False)  # nothing recorded


def test_a_network_too_large_is_refused_at_compile_time(monkeypatch):
    # 10,000 inputs and 10,000 neurons x 160 bytes = 3.2 MB of tables against a limit of 1 MiB (a small
    # stand-in for a huge network: building one of 1e9 neurons here would itself take gigabytes)
    graph = ir.Graph(nodes={"in": ir.Input((10_000,)), "n": ir.IF.uniform((10_000,))}, edges=(("in", "n"),))
    monkeypatch.setenv("NEURO_MAX_BYTES", "1M")
    with pytest.raises(ValueError, match="tables of 20,000 neurons would take 3.1 MiB, over the limit"):
        neuro.compile_network(graph)
    monkeypatch.setenv("NEURO_MAX_BYTES", "4M")
    assert neuro.compile_network(graph).n_neurons == 20_000


def test_lstm_realisations_refuse_sizes_no_machine_holds():
    from converters.lstm.binary import BinaryLSTMConfig
    from converters.lstm.rate import RateLSTMConfig

    BinaryLSTMConfig(levels=256)
    RateLSTMConfig(window=256)
    with pytest.raises(ValueError, match=r"levels must be an integer in \[1, 256\], got 100000"):
        BinaryLSTMConfig(levels=100_000)
    with pytest.raises(ValueError, match=r"window must be an integer in \[1, 256\], got 1000000"):
        RateLSTMConfig(window=1_000_000)
    with pytest.raises(ValueError, match="lines per sign of the cell state"):
        BinaryLSTMConfig(levels=16, cell_range=1e6)


def test_a_billion_step_delay_is_refused_before_its_ring_is_allocated():
    graph = ir.Graph(nodes={"in": ir.Input((2,)), "s": ir.Sparse(2, 2, [0, 1], [1, 0], [1.0, 1.0], [1, 10**9]),
                            "n": ir.IF.uniform((2,))}, edges=(("in", "s"), ("s", "n")))
    with pytest.raises(ValueError, match="longest synaptic delay is 1000000000 steps .* shorten the synaptic delays"):
        neuro.simulate(neuro.compile_network(graph), encode.constant(np.ones((1, 2))), timesteps=4)


def test_a_network_file_that_unpacks_beyond_the_limit_is_refused_before_decompression(tmp_path, monkeypatch):
    from neuro import io

    path = tmp_path / "bomb.npz"
    np.savez_compressed(path, __header__=np.frombuffer(b"{}", np.uint8), big=np.zeros(8 * 2**20 // 8))  # 8 MiB
    assert path.stat().st_size < 100_000
    monkeypatch.setenv("NEURO_MAX_BYTES", "1M")
    with pytest.raises(io.NetworkFileError, match="bomb.npz: the arrays of bomb.npz would take 8.0 MiB, over"):
        io.load(path)
