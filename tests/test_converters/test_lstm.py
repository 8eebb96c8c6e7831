"""LSTM conversion: the graded realisation reproduces the LSTM; smooth LSTMs need an explicit opt-in."""

import json

import numpy as np
import pytest
import torch
from torch import nn

import hardware_profiles as hp
import neuro
from converters import ConversionError, LSTMConfig, SequenceClassifier, UnsupportedLayer, from_lstm, from_torch, zoo
from neuro import datasets, encode, io
from neuro.app.cli import main
from neuro.mapping import map_to_profile


def _model(layers=1, seed=0, inputs=3, hidden=6):
    torch.manual_seed(seed)
    model = SequenceClassifier(inputs, hidden, 4, num_layers=layers)
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(3.0)  # larger weights: the gates leave their linear range and saturate too
    return model.eval()


def _run(graph, x, kernel="numba"):
    """The sequences ``x`` through a converted LSTM of any realisation, at the timing it records."""
    conversion = graph.metadata["conversion"]
    return neuro.simulate(neuro.compile_network(graph), encode.sequence_for(conversion, x),
                          timesteps=encode.sequence_steps(conversion, x.shape[1]), kernel=kernel)


@pytest.mark.parametrize("layers", [1, 2])
def test_threshold_zero_reproduces_the_lstm(layers):
    model = _model(layers)
    x = np.random.default_rng(layers).normal(size=(16, 10, 3))
    with torch.no_grad():
        expected = model(torch.as_tensor(x, dtype=torch.float32)).double().numpy()
    result = _run(from_lstm(model), x)
    np.testing.assert_allclose(encode.value(result), expected, atol=2e-5)
    np.testing.assert_array_equal(encode.predictions(result, readout="value"), expected.argmax(1))


def test_the_threshold_trades_accuracy_for_events():
    model = _model(seed=3)
    x = np.random.default_rng(3).normal(size=(32, 12, 3))
    exact = _run(from_lstm(model), x)
    coarse = _run(from_lstm(model, LSTMConfig(threshold=0.1)), x)
    assert coarse.counters.events.sum() < 0.9 * exact.counters.events.sum()
    error = np.abs(encode.value(coarse) - encode.value(exact)).max()
    assert 0 < error < 1.0


@pytest.mark.parametrize("layers", [1, 2])
def test_send_threshold_forward_computes_what_the_graded_network_computes(layers):
    """The threshold-aware forward (used to fine-tune for a threshold) is the SNN's computation, in torch."""
    model = _model(layers, seed=5).double()
    thresholds = {"input": 0.05, "gates": 0.08, "products": 0.03, "cell": 0.06, "hidden": 0.1}
    x = np.random.default_rng(5).normal(size=(16, 10, 3))
    result = _run(from_lstm(model, LSTMConfig(role_thresholds=thresholds)), x)
    with torch.no_grad():
        emulated = model(torch.as_tensor(x), send_thresholds=thresholds).numpy()
        plain = model(torch.as_tensor(x)).numpy()
    np.testing.assert_allclose(encode.value(result), emulated, atol=1e-9)
    assert np.abs(emulated - plain).max() > 0.01  # the thresholds matter here: the comparison is not vacuous
    # straight-through: gradients reach every weight
    model.zero_grad()
    model(torch.as_tensor(x), send_thresholds=thresholds).sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())


def test_zoo_fine_tuning_for_a_send_threshold_changes_the_weights(monkeypatch):
    import dataclasses

    tiny = dataclasses.replace(zoo.ZOO["digits-lstm"], name="tiny-lstm", build=lambda: SequenceClassifier(8, 4, 10),
                               epochs=1, tune_epochs=0)
    monkeypatch.setitem(zoo.ZOO, "tiny-lstm", tiny)
    plain = zoo.train("tiny-lstm")
    monkeypatch.setitem(zoo.ZOO, "tiny-lstm", dataclasses.replace(tiny, tune_epochs=1, tune_threshold=0.1))
    tuned = zoo.train("tiny-lstm")
    before, after = plain.state_dict(), tuned.state_dict()
    assert all(torch.isfinite(after[k]).all() for k in after)
    assert any(not torch.equal(before[k], after[k]) for k in before)


def test_role_thresholds_apply_by_role_and_are_recorded():
    model = _model(seed=4)
    x = np.random.default_rng(4).normal(size=(16, 10, 3))
    graph = from_lstm(model, LSTMConfig(threshold=0.0, role_thresholds={"hidden": 0.1, "output": 1.0}))
    assert np.all(graph.nodes["l0_h"].threshold == 0.1) and np.all(graph.nodes["output"].threshold == 1.0)
    assert np.all(graph.nodes["l0_i"].threshold == 0.0) and np.all(graph.nodes["l0_c"].threshold == 0.0)
    assert graph.metadata["conversion"]["role_thresholds"]["hidden"] == 0.1
    # the readout's value is exact whatever the output population sends
    exact, quiet = _run(from_lstm(model), x), _run(from_lstm(model, LSTMConfig(role_thresholds={"output": 1.0})), x)
    np.testing.assert_allclose(encode.value(quiet), encode.value(exact))
    assert quiet.counters.events.sum() < exact.counters.events.sum()
    with pytest.raises(ValueError, match="unknown LSTM population roles"):
        LSTMConfig(role_thresholds={"gate": 0.1})


def test_smooth_lstm_needs_the_opt_in_and_records_it():
    torch.manual_seed(0)
    model = SequenceClassifier(3, 5, 4, cell="smooth").eval()
    with pytest.raises(UnsupportedLayer, match="PWLLSTM"):
        from_lstm(model)
    graph = from_lstm(model, LSTMConfig(approximate_smooth=True))
    assert "piecewise-linear approximation" in graph.metadata["conversion"]["approximations"][0]


def test_the_cnn_converter_points_to_the_lstm_converter():
    with pytest.raises(UnsupportedLayer, match="from_lstm"):
        from_torch(nn.Sequential(nn.LSTM(3, 4)), np.zeros((2, 5, 3)))


def test_graded_lstm_maps_only_onto_graded_chips():
    graph = from_lstm(_model())
    rules = {v.rule for v in map_to_profile(graph, hp.load("truenorth")).violations}
    assert {"graded_spikes", "unsupported_kind"} <= rules
    assert map_to_profile(graph, hp.load("loihi2")).fits
    assert map_to_profile(graph, hp.load("spinnaker2")).fits


@pytest.mark.parametrize("realisation", ["graded", "binary", "rate"])
def test_saved_lstm_network_round_trips(tmp_path, realisation):
    from converters.lstm.binary import BinaryLSTMConfig, from_lstm_binary
    from converters.lstm.rate import RateLSTMConfig, from_lstm_rate

    model = _model(2)
    graph = {"graded": lambda: from_lstm(model, LSTMConfig(threshold=0.02)),
             "binary": lambda: from_lstm_binary(model, BinaryLSTMConfig(levels=4, cell_levels=4)),
             "rate": lambda: from_lstm_rate(model, RateLSTMConfig(window=3))}[realisation]()
    loaded = io.load(io.save(graph, tmp_path / "lstm.npz"))
    assert neuro.ir.equal(graph, loaded)
    x = np.random.default_rng(0).normal(size=(4, 6, 3))
    np.testing.assert_array_equal(_run(graph, x).spike_counts, _run(loaded, x).spike_counts)


@pytest.fixture(scope="module")
def digits_lstm(tmp_path_factory):
    path = tmp_path_factory.mktemp("w") / "digits-lstm.safetensors"
    zoo.save_weights(zoo.train("digits-lstm"), path)
    return path


def test_digits_lstm_meets_its_targets_through_the_cli(digits_lstm, tmp_path):
    data = datasets.digits()
    model = zoo.load_weights("digits-lstm", digits_lstm)
    assert zoo.accuracy(model, data.x_test, data.y_test) >= 0.95
    net, report = tmp_path / "lstm.npz", tmp_path / "run.json"
    assert main(["convert", "digits-lstm", "--weights", str(digits_lstm), "--threshold", "0", "--out", str(net)]) == 0
    assert main(["run", str(net), "--json", str(report)]) == 0
    row = json.loads(report.read_text())
    assert row["agreement"] == 1.0 and row["snn_accuracy"] == row["ann_accuracy"] >= 0.95
    assert row["timesteps"] == 8 and row["conversion"]["realisation"] == "graded"
    assert row["conversion"]["threshold"] == 0.0
    # without --threshold: the threshold the model was fine-tuned for, recorded with the result
    assert main(["convert", "digits-lstm", "--weights", str(digits_lstm), "--out", str(net)]) == 0
    assert main(["run", str(net), "--json", str(report)]) == 0
    row = json.loads(report.read_text())
    assert row["conversion"]["threshold"] == zoo.recipe("digits-lstm").default_threshold == 0.12
    assert row["snn_accuracy"] >= row["ann_accuracy"] - 0.02
    assert main(["convert", "digits-lstm", "--weights", str(digits_lstm), "--lstm", "rate", "--window", "0",
                 "--out", str(tmp_path / "rate.npz")]) == 2
    assert not (tmp_path / "rate.npz").exists()


def test_digits_lstm_rate_coded_through_the_cli(digits_lstm, tmp_path, capsys):
    """The rate-coded realisation at K = 16 ticks: within 2 points of the ANN on the whole test set,
    on a binary-spike chip (Loihi) with its quantised weights."""
    data = datasets.digits()
    ann = zoo.accuracy(zoo.load_weights("digits-lstm", digits_lstm), data.x_test, data.y_test)
    net, report = tmp_path / "rate.npz", tmp_path / "run.json"
    assert main(["convert", "digits-lstm", "--weights", str(digits_lstm), "--lstm", "rate", "--ticks-per-element",
                 "16", "--out", str(net)]) == 0
    assert "rate-coded LSTM, K = 16 ticks per value (82 ticks per element" in capsys.readouterr().out
    for profile in ([], ["--profile", "loihi"]):
        assert main(["run", str(net), "--json", str(report), *profile]) == 0
        row = json.loads(report.read_text())
        assert row["conversion"]["realisation"] == "rate" and row["conversion"]["window"] == 16
        assert row["timesteps"] == 8 * 82 + 16
        assert row["snn_accuracy"] >= ann - 0.02
        assert abs(row["ann_accuracy"] - ann) <= 1 / 540  # read back from the network
    assert row["fits"] and not row["violations"]


def test_digits_lstm_in_binary_spikes_through_the_cli(digits_lstm, tmp_path, capsys):
    """The binary realisation at 16 levels: within 2 points of the ANN on the whole test set, and
    within a chip without graded spikes (Loihi)."""
    data = datasets.digits()
    ann = zoo.accuracy(zoo.load_weights("digits-lstm", digits_lstm), data.x_test, data.y_test)
    net, report = tmp_path / "binary.npz", tmp_path / "run.json"
    assert main(["convert", "digits-lstm", "--weights", str(digits_lstm), "--lstm", "binary", "--levels", "16",
                 "--out", str(net)]) == 0
    assert "binary LSTM, 16 levels" in capsys.readouterr().out
    assert main(["run", str(net), "--json", str(report), "--profile", "loihi"]) == 0
    row = json.loads(report.read_text())
    assert row["conversion"]["realisation"] == "binary" and row["conversion"]["levels"] == 16
    assert row["timesteps"] == 8 and row["fits"] and not row["violations"]
    assert row["snn_accuracy"] >= ann - 0.02
    assert abs(row["ann_accuracy"] - ann) <= 1 / 540  # the LSTM read back from the network (float64, not float32)
    # the ANN energy is the LSTM's own workload (8 elements of 4 gates over 8 + 32 inputs), not the graph's size
    assert row["ann_macs_per_inference"] == 8 * (4 * 32 * 40 + 3 * 32) + 10 * 32


class _Shaped(nn.Module):
    """An LSTM classifier written by hand; ``form`` picks what its forward() does."""

    def __init__(self, form: str):
        super().__init__()
        torch.manual_seed(0)
        self.form = form
        self.pre = nn.Linear(3, 3)
        self.lstm = nn.LSTM(3, 6, batch_first=True) if form == "smooth" else SequenceClassifier(3, 6, 4).lstm
        self.readout = nn.Linear(6, 4)

    def forward(self, x):
        if self.form == "layer before":
            return self.readout(self.lstm(self.pre(x))[:, -1])
        if self.form == "mean readout":
            return self.readout(self.lstm(x).mean(1))
        if self.form == "flipped":
            return self.readout(self.lstm(x.flip(1))[:, -1])
        if self.form == "smooth":
            outputs, _ = self.lstm(x)
            return self.readout(outputs[:, -1, :])
        return self.readout(self.lstm(x)[:, -1])


def _realisations():
    from converters.lstm.binary import BinaryLSTMConfig, from_lstm_binary
    from converters.lstm.rate import RateLSTMConfig, from_lstm_rate

    return {"graded": lambda m: from_lstm(m, LSTMConfig(approximate_smooth=True)),
            "binary": lambda m: from_lstm_binary(m, BinaryLSTMConfig(levels=2, cell_levels=2,
                                                                     approximate_smooth=True)),
            "rate": lambda m: from_lstm_rate(m, RateLSTMConfig(window=2, approximate_smooth=True))}


@pytest.mark.parametrize("realisation", ["graded", "binary", "rate"])
@pytest.mark.parametrize("form, computes", [("layer before", "pre -> lstm"), ("mean readout", "lstm -> mean"),
                                            ("flipped", "flip -> lstm")])
def test_a_model_that_is_not_lstm_last_step_readout_is_refused(form, computes, realisation):
    with pytest.raises(ConversionError, match=f"forward\\(\\) computes {computes}.*SequenceClassifier"):
        _realisations()[realisation](_Shaped(form).eval())


@pytest.mark.parametrize("form", ["plain", "smooth"])
def test_a_hand_written_lstm_classifier_of_the_converted_shape_converts(form):
    model = _Shaped(form).eval()
    reference = SequenceClassifier(3, 6, 4, cell="pwl" if form == "plain" else "smooth").eval()
    reference.lstm, reference.readout = model.lstm, model.readout
    for convert in _realisations().values():
        assert neuro.ir.equal(convert(model), convert(reference))
