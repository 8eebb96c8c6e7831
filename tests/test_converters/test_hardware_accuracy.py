"""A trained, converted CNN on chip profiles: quantisation cost and honest failures."""

import json
from pathlib import Path

import pytest

import hardware_profiles as hp
from neuro import datasets, io
from neuro.app.cli import main
from neuro.app.evaluate import evaluate_graph
from neuro.mapping import quantise


@pytest.mark.parametrize("profile", ["loihi", "spinnaker", "loihi2"])
def test_eight_bit_or_finer_weights_cost_at_most_half_a_point(digits_cnn, profile):
    row = evaluate_graph(io.load(digits_cnn), datasets.digits(), timesteps=32, profile=hp.load(profile),
                         show_progress=False).to_row()
    assert hp.load(profile).structure.weight_bits >= 8
    assert row["snn_accuracy"] >= row["ann_accuracy"] - 0.005
    assert row["fits"] and row["cores"] >= 1


def test_truenorth_gives_its_honest_lower_accuracy(digits_cnn):
    row = evaluate_graph(io.load(digits_cnn), datasets.digits(), timesteps=32, profile=hp.load("truenorth"),
                         show_progress=False).to_row()
    assert not row["fits"]
    assert any("fan_in_per_neuron" in v for v in row["violations"])
    # the accuracy is that of the network quantised for TrueNorth (4-level codebooks), simulated without a
    # profile: a second path through quantise and the engine; the codebook costs it accuracy
    quantised, _ = quantise(io.load(digits_cnn), hp.load("truenorth"))
    plain = evaluate_graph(quantised, datasets.digits(), timesteps=32, show_progress=False).to_row()
    assert row["snn_accuracy"] == plain["snn_accuracy"] < row["ann_accuracy"]
    assert row["energy_j_per_inference"] > 0 and "neuron_updates" in row["energy_not_billed"]


def test_run_with_a_profile_writes_energy_and_fit(digits_cnn, tmp_path, capsys):
    out = tmp_path / "run.json"
    assert main(["run", str(digits_cnn), "--profile", "loihi", "--samples", "60", "--json", str(out)]) == 0
    row = json.loads(out.read_text())
    for key in ("energy_j_per_inference", "latency_s_per_inference", "ann_energy_j_per_inference", "fits",
                "cores", "chips", "violations", "ann_baseline"):
        assert key in row
    assert row["energy_j_per_inference"] == pytest.approx(sum(row["energy_components_j"].values()))
    assert row["latency_s_per_inference"] == pytest.approx(32 * 1e-5)
    assert row["ann_baseline"] == "horowitz45nm"
    assert "energy per inference" in capsys.readouterr().out


def test_map_and_profiles_commands(digits_cnn, tmp_path, capsys):
    report = tmp_path / "map.json"
    assert main(["map", str(digits_cnn), "--profile", "truenorth", "--json", str(report)]) == 0
    fit = json.loads(report.read_text())
    assert fit["fits"] is False and {v["rule"] for v in fit["violations"]} >= {"fan_in_per_neuron"}
    assert main(["profiles"]) == 0
    assert "truenorth" in capsys.readouterr().out
    assert main(["profiles", "show", "loihi"]) == 0
    assert "2.36e-11" in capsys.readouterr().out
    good = tmp_path / "mine.toml"
    good.write_text(Path(hp.load("loihi").path).read_text())
    assert main(["profiles", "check", str(good)]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace("synop_pj", "synapse_pj"))
    assert main(["profiles", "check", str(bad)]) == 2
    assert "bad.toml" in capsys.readouterr().err
    assert main(["map", str(digits_cnn), "--profile", "cpu"]) == 2
