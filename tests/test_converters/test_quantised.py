"""The quantised ReLU (QCFS): its closed form, its gradient, and a conversion that is exact at T = L."""

import json

import numpy as np
import pytest
import torch
from torch import nn

import neuro
from converters import QuantisedReLU, from_torch, zoo
from neuro import analog, encode, io


def test_forward_equals_the_closed_form():
    x = torch.arange(-40, 200, dtype=torch.float32) / 64  # dyadic: every product below is exact in float32
    for levels, clip in ((4, 2.0), (2, 1.0), (1, 0.5), (8, 1.5)):
        out = QuantisedReLU(levels, clip)(x).detach().numpy().astype(np.float64)
        xs = x.numpy().astype(np.float64)
        expected = clip * np.clip(np.floor(xs * levels / clip + 0.5) / levels, 0, 1)
        np.testing.assert_allclose(out, expected, rtol=0, atol=1e-6 * clip)
        assert len(np.unique(expected)) <= levels + 1


def test_the_floor_passes_its_gradient_straight_through():
    act = QuantisedReLU(4, 2.0)
    x = torch.tensor([-1.0, 0.5, 1.0, 1.9, 3.0], requires_grad=True)
    act(x).sum().backward()
    # d/dx of 2 * clip(x / 2, 0, 1): 1 inside (0, 2), 0 outside
    np.testing.assert_array_equal(x.grad.numpy(), [0, 1, 1, 1, 0])
    # d/dclip: 1 for each x above the clip; inside, the rounding error q - x/clip (q: the level it rounds to):
    # x = 0.5 -> 0.25 - 0.25, x = 1.0 -> 0.5 - 0.5, x = 1.9 -> 1.0 - 0.95; below zero, 0
    assert act.clip.grad.item() == pytest.approx(1.0 + 0.0 + 0.0 + 0.05, abs=1e-6)


def test_bad_settings_are_refused():
    for levels in (0, 1025, 2.0, True, "4"):  # both ends of [1, 1024], and what is not an integer
        with pytest.raises(ValueError, match="levels"):
            QuantisedReLU(levels)
    assert QuantisedReLU(1).levels == 1 and QuantisedReLU(1024).levels == 1024  # the ends themselves are fine
    with pytest.raises(ValueError, match="clip"):
        QuantisedReLU(4, clip=0.0)


def _single_layer(levels=4, clip=2.0):
    rng = np.random.default_rng(7)
    model = nn.Sequential(nn.Linear(6, 9), QuantisedReLU(levels, clip), nn.Linear(9, 3)).eval()
    with torch.no_grad():  # dyadic weights and inputs: every membrane sum is exact in float64
        model[0].weight.copy_(torch.as_tensor(rng.integers(-16, 17, (9, 6)) / 16))
        model[0].bias.copy_(torch.as_tensor(rng.integers(-8, 9, 9) / 16))
        model[2].weight.copy_(torch.as_tensor(rng.integers(-16, 17, (3, 9)) / 16))
    x = rng.integers(0, 17, (40, 6)) / 16
    return model, x


@pytest.mark.parametrize("levels", [1, 2, 4, 8])
def test_one_layer_with_analog_input_equals_its_quantised_ann_exactly_at_t_equal_l(levels):
    model, x = _single_layer(levels)
    graph = from_torch(model, x)
    hidden = graph.populations[0]
    assert graph.metadata["conversion"]["activation_levels"] == levels
    assert graph.metadata["conversion"]["quantised_populations"] == [hidden]
    assert np.all(graph.nodes[hidden].v_threshold == 2.0) and np.all(graph.nodes[hidden].v_initial == 1.0)
    net = neuro.compile_network(graph)
    result = neuro.simulate(net, encode.constant(x), timesteps=levels)
    # expected counts by hand: z = W x + b, count = clip(floor(z * L / clip + 1/2), 0, L)
    z = x @ model[0].weight.detach().numpy().astype(np.float64).T + model[0].bias.detach().numpy()
    expected = np.clip(np.floor(z * levels / 2.0 + 0.5), 0, levels)
    np.testing.assert_array_equal(result.counts_of(hidden), expected)
    # the hidden activity times its weights is the quantised ANN's output: logits = (membrane - v_initial) / T
    with torch.no_grad():
        logits = model(torch.as_tensor(x, dtype=torch.float32)).numpy()
    start = graph.nodes[graph.output].v_initial
    np.testing.assert_allclose((encode.membrane(result) - start) / levels, logits, atol=1e-5)
    np.testing.assert_allclose(analog.evaluate(graph, x).logits, logits, atol=1e-5)


def test_a_quantised_zoo_model_trains_converts_and_runs_without_extra_flags(tmp_path):
    from neuro.app.cli import main

    weights, network = tmp_path / "q.safetensors", tmp_path / "q.npz"
    assert main(["train", "digits-cnn", "--levels", "4", "--epochs", "2", "--out", str(weights)]) == 0
    header = json.loads(weights.read_bytes()[8:8 + int.from_bytes(weights.read_bytes()[:8], "little")])
    assert header["__metadata__"] == {"levels": "4"}
    model = zoo.load_weights("digits-cnn", weights)  # the file says how to build it
    assert sum(isinstance(m, QuantisedReLU) for m in model.modules()) == 2
    assert main(["convert", "digits-cnn", "--weights", str(weights), "--out", str(network)]) == 0
    graph = io.load(network)
    assert graph.metadata["conversion"]["activation_levels"] == 4
    # calibrated for T = L by default (neuro.membranes); off on request
    assert graph.metadata["conversion"]["membrane_calibration"]["timesteps"] == 4
    plain = tmp_path / "plain.npz"
    assert main(["convert", "digits-cnn", "--weights", str(weights), "--out", str(plain),
                 "--calibrate-membranes", "0"]) == 0
    assert "membrane_calibration" not in io.load(plain).metadata["conversion"]
    out = tmp_path / "run.json"
    assert main(["run", str(network), "--timesteps", "4", "--samples", "100", "--json", str(out)]) == 0
    row = json.loads(out.read_text())
    # the ANN column is the quantised ANN: torch's own accuracy on the same samples
    data = neuro.datasets.digits()
    assert row["ann_accuracy"] == zoo.accuracy(model, data.x_test[:100], data.y_test[:100])


def test_levels_are_for_cnns_and_alike_throughout():
    with pytest.raises(ValueError, match="LSTM"):
        zoo.build("digits-lstm", levels=4)
    mixed = nn.Sequential(nn.Linear(4, 4), QuantisedReLU(2), nn.Linear(4, 4), QuantisedReLU(4), nn.Linear(4, 2))
    with pytest.raises(Exception, match="one level count"):
        from_torch(mixed, np.random.default_rng(0).random((8, 4)))
