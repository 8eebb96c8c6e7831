"""The rate-coded LSTM (bursts of K ticks, coincidence products): the engine computes what the
burst arithmetic says, more ticks come closer to the LSTM, Brian2 runs it spike for spike, and it
maps onto a binary-spike chip."""

import numpy as np
import pytest
import torch

import hardware_profiles as hp
import neuro
from converters import from_lstm
from converters.interop.brian2 import run_brian2
from converters.lstm.graded import SequenceClassifier
from converters.lstm.rate import RateLSTMConfig, from_lstm_rate, period, rate_ann_logits, rate_logits
from neuro import encode
from neuro.mapping import map_to_profile
from tests.test_converters.test_lstm import _model, _run


@pytest.mark.parametrize("layers, window", [(1, 4), (2, 5)])
def test_the_network_computes_the_burst_arithmetic_exactly(layers, window):
    model = _model(layers, hidden=4)
    x = np.random.default_rng(1).normal(size=(4, 6, 3))
    config = RateLSTMConfig(window=window)
    graph = from_lstm_rate(model, config)
    fast, slow = _run(graph, x), _run(graph, x, kernel="reference")
    np.testing.assert_array_equal(fast.spike_counts, slow.spike_counts)
    np.testing.assert_allclose(encode.value(fast), rate_logits(model, x, config), rtol=0, atol=1e-12)
    assert fast.timesteps == 6 * period(window) + (layers - 1) * period(window) + window
    assert all(fast.counts_of(f"l{layers - 1}_{name}").sum() > 0
               for name in ("gates", "ig", "fc", "oc", "cell", "c_relay", "h"))


def test_only_binary_spiking_neurons_and_the_timing_are_recorded():
    graph = from_lstm_rate(_model(), RateLSTMConfig(window=4))
    assert {type(graph.nodes[p]).__name__ for p in graph.populations} == {"IF", "LIF"}
    conversion = graph.metadata["conversion"]
    assert conversion["realisation"] == "rate" and conversion["window"] == 4
    assert (conversion["ticks_per_element"], conversion["hold_ticks"], conversion["flush_ticks"]) == (22, 4, 4)


def test_inputs_beyond_the_bound_the_network_was_sized_for_are_refused():
    conversion = from_lstm_rate(_model(), RateLSTMConfig(window=2, input_bound=3.0)).metadata["conversion"]
    assert encode.sequence_for(conversion, np.full((1, 2, 3), 3.0)).shape == (1, 2 * 12 + 2, 3)
    with pytest.raises(ValueError, match="input_bound"):
        encode.sequence_for(conversion, np.full((1, 2, 3), -3.5))


def test_more_ticks_come_closer_to_the_lstm():
    model = _model()
    x = np.random.default_rng(2).normal(size=(16, 6, 3))
    with torch.no_grad():
        ann = model(torch.as_tensor(x, dtype=torch.float32)).double().numpy()
    errors = [np.abs(rate_logits(model, x, RateLSTMConfig(window=k, cell_range=4)) - ann).max() for k in (2, 8, 64)]
    assert errors[0] > errors[1] > errors[2] and errors[2] < 0.1, errors


def test_brian2_runs_the_rate_coded_lstm_with_the_engine_s_spikes():
    """Only IF and LIF neurons and ordinary delayed synapses: Brian2 takes it as it is (its delayed
    input synapses read the drive as it was when sent, as the engine's do)."""
    torch.manual_seed(3)
    graph = from_lstm_rate(SequenceClassifier(2, 3, 4).eval(), RateLSTMConfig(window=3))
    x = np.random.default_rng(3).normal(0.0, 1.0, (2, 4, 2))
    conversion = graph.metadata["conversion"]
    steps = encode.sequence_steps(conversion, 4)
    network = neuro.compile_network(graph)
    ours = neuro.simulate(network, encode.sequence_for(conversion, x), timesteps=steps)
    theirs = run_brian2(graph, encode.sequence_for(conversion, x), steps)
    for name in graph.populations:
        np.testing.assert_array_equal(theirs[name], ours.spike_counts[:, network.slice_of(name)], err_msg=name)
    assert ours.spike_counts[:, network.slice_of("l0_h")].sum() > 0


def test_the_rate_form_maps_onto_loihi_at_16_ticks_and_the_graded_form_does_not():
    loihi = hp.load("loihi")
    mapped = map_to_profile(from_lstm_rate(_model(), RateLSTMConfig(window=16)), loihi)
    assert mapped.fits and not mapped.violations  # delays within Loihi's 62 steps, binary spikes only
    assert "graded_spikes" in {v.rule for v in map_to_profile(from_lstm(_model()), loihi).violations}


def test_quantised_for_loihi_it_still_computes_its_burst_arithmetic():
    """On a chip's power-of-two weight grids the hold-down, the give-backs and the twins stay exact:
    the quantised network computes the burst arithmetic of its own quantised weights, nothing drifts."""
    model = _model(hidden=4)
    quantised = map_to_profile(from_lstm_rate(model, RateLSTMConfig(window=8)), hp.load("loihi")).graph
    x = np.random.default_rng(5).normal(size=(6, 5, 3))
    np.testing.assert_allclose(encode.value(_run(quantised, x)), rate_ann_logits(quantised, x, on_bursts=True),
                               rtol=0, atol=1e-9)
    assert not np.allclose(rate_ann_logits(quantised, x), rate_ann_logits(from_lstm_rate(model), x))


@pytest.mark.parametrize("layers", [1, 2])
def test_the_lstm_is_read_back_from_the_rate_network(layers):
    model = _model(layers)
    x = np.random.default_rng(4).normal(size=(5, 6, 3))
    with torch.no_grad():
        expected = model.double()(torch.as_tensor(x)).numpy()
    graph = from_lstm_rate(model.float(), RateLSTMConfig(window=6))
    np.testing.assert_allclose(rate_ann_logits(graph, x), expected, rtol=0, atol=1e-9)
    with pytest.raises(ValueError, match="from_lstm_rate"):
        rate_ann_logits(from_lstm(model), x)


@pytest.mark.parametrize("settings, message", [({"window": 0}, "window"), ({"window": 2.5}, "window"),
                                                ({"cell_range": 0.5}, "cell_range"),
                                                ({"input_bound": 0}, "input_bound")])
def test_bad_settings_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        RateLSTMConfig(**settings)


def test_a_map_read_back_adds_synapses_that_join_the_same_pair():
    """The engine adds every synapse; the read-back of a map must too, not keep the last of a pair."""
    from converters.lstm.unary import dense_of, sparse_map

    node = sparse_map(2, 2, [0, 0, 1], [1, 1, 0], [0.5, 0.25, 1.0], [0, 0, 3])
    np.testing.assert_array_equal(dense_of(node), [[0.0, 1.0], [0.75, 0.0]])
    np.testing.assert_array_equal(dense_of(node, delay=0), [[0.0, 0.0], [0.75, 0.0]])
    np.testing.assert_array_equal(dense_of(node, pre=1), [[0.0, 1.0], [0.0, 0.0]])
