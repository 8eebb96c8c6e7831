"""The binary-spike LSTM: the engine computes what the unary arithmetic says, the code converges
to the LSTM as the levels grow, and the network maps onto binary-spike chips."""

import numpy as np
import pytest
import torch

import hardware_profiles as hp
import neuro
from converters import from_lstm
from converters.lstm.binary import BinaryLSTMConfig, ann_logits, from_lstm_binary, unary_logits
from neuro import encode
from neuro.mapping import map_to_profile
from tests.test_converters.test_lstm import _model, _run

SMALL = BinaryLSTMConfig(levels=4, cell_levels=4)


def _logits(graph, x):
    return encode.value(_run(graph, x))


@pytest.mark.parametrize("layers", [1, 2])
def test_the_network_computes_the_unary_arithmetic_exactly(layers):
    model = _model(layers, hidden=4)
    x = np.random.default_rng(1).normal(size=(4, 6, 3))
    graph = from_lstm_binary(model, SMALL)
    net = neuro.compile_network(graph)
    fast = neuro.simulate(net, encode.sequence(x), timesteps=6)
    slow = neuro.simulate(net, encode.sequence(x), timesteps=6, kernel="reference")
    np.testing.assert_array_equal(fast.spike_counts, slow.spike_counts)
    np.testing.assert_allclose(encode.value(fast), unary_logits(model, x, SMALL), rtol=0, atol=1e-12)
    assert all(fast.counts_of(name).sum() > 0 for name in ("l0_i", "l0_g", "l0_ig", "l0_fc", "l0_c", "l0_oc", "l0_h"))


def test_only_binary_spiking_neurons_are_used():
    graph = from_lstm_binary(_model(), SMALL)
    assert {type(graph.nodes[p]).__name__ for p in graph.populations} == {"LIF"}
    assert graph.metadata["conversion"]["realisation"] == "binary"
    assert graph.metadata["conversion"]["levels"] == 4 and graph.metadata["conversion"]["ticks_per_element"] == 1


def test_more_levels_come_closer_to_the_lstm():
    model = _model()
    x = np.random.default_rng(2).normal(size=(16, 6, 3))
    with torch.no_grad():
        ann = model(torch.as_tensor(x, dtype=torch.float32)).double().numpy()
    errors = [np.abs(unary_logits(model, x, BinaryLSTMConfig(levels=k, cell_levels=k, cell_range=4)) - ann).max()
              for k in (2, 8, 64)]
    assert errors[0] > errors[1] > errors[2] and errors[2] < 0.05, errors
    fine = BinaryLSTMConfig(levels=16, cell_levels=16, cell_range=4)
    np.testing.assert_allclose(_logits(from_lstm_binary(model, fine), x), unary_logits(model, x, fine), atol=1e-12)


def test_the_binary_form_maps_onto_a_binary_spike_chip_and_the_graded_form_does_not():
    loihi = hp.load("loihi")
    assert not loihi.structure.graded_spikes
    assert map_to_profile(from_lstm_binary(_model(), SMALL), loihi).fits
    assert "graded_spikes" in {v.rule for v in map_to_profile(from_lstm(_model()), loihi).violations}


@pytest.mark.parametrize("settings, message", [({"levels": 0}, "levels"), ({"cell_levels": 2.5}, "cell_levels"),
                                                ({"cell_range": 0.5}, "cell_range"),
                                                ({"cell_levels": 4, "cell_range": 1.1}, "cell_range")])
def test_bad_settings_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        BinaryLSTMConfig(**settings)



@pytest.mark.parametrize("layers, levels", [(1, 4), (2, 6)])
def test_the_lstm_is_read_back_from_the_binary_network(layers, levels):
    """What neuro run compares with: the LSTM's own scores, from the network's weights alone."""
    model = _model(layers)
    x = np.random.default_rng(4).normal(size=(5, 6, 3))
    with torch.no_grad():
        expected = model.double()(torch.as_tensor(x)).numpy()
    graph = from_lstm_binary(model.float(), BinaryLSTMConfig(levels=levels, cell_levels=levels))
    np.testing.assert_allclose(ann_logits(graph, x), expected, rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="from_lstm_binary"):
        ann_logits(from_lstm(model), x)
