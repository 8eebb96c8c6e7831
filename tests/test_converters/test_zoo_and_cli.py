"""Training recipes, weight files and the convert/run commands, end to end."""

import json

import numpy as np
import pytest
import torch

from converters import zoo
from converters.loading import load_model
from neuro import datasets, io
from neuro.app.cli import main


@pytest.fixture(scope="module")
def trained_weights(tmp_path_factory):
    path = tmp_path_factory.mktemp("weights") / "digits-cnn-bn-maxpool.safetensors"
    assert main(["train", "digits-cnn-bn-maxpool", "--out", str(path)]) == 0
    return path


def test_training_is_seeded_and_reaches_the_recipe_accuracy(trained_weights):
    data = datasets.digits()
    model = zoo.load_weights("digits-cnn-bn-maxpool", trained_weights)
    assert zoo.accuracy(model, data.x_test, data.y_test) >= 0.97
    again = zoo.train("digits-cnn-bn-maxpool")
    for key, value in model.state_dict().items():
        torch.testing.assert_close(again.state_dict()[key], value)


def test_convert_and_run_meet_the_accuracy_target(trained_weights, tmp_path, capsys):
    net, report = tmp_path / "net.npz", tmp_path / "run.json"
    assert main(["convert", "digits-cnn-bn-maxpool", "--weights", str(trained_weights), "--out", str(net)]) == 0
    assert main(["run", str(net), "--timesteps", "32", "--report-timesteps", "8", "--json", str(report)]) == 0
    row = json.loads(report.read_text())
    for key in ("ann_accuracy", "snn_accuracy", "agreement", "timesteps", "latency_model", "samples",
                "synops_per_inference", "events_per_inference"):
        assert key in row
    assert row["samples"] == 540 and row["timesteps"] == 32 and row["latency_model"] == "same-step"
    assert row["ann_accuracy"] >= 0.97
    assert row["snn_accuracy"] >= row["ann_accuracy"] - 0.01
    assert "ANN accuracy" in capsys.readouterr().out
    assert main(["run", str(net), "--timesteps", "32", "--latency-model", "pipelined", "--samples", "100",
                 "--json", str(report)]) == 0
    piped = json.loads(report.read_text())
    assert piped["steps_run"] == 32 + piped["latency_steps"] and piped["latency_steps"] == 3


def test_poisson_input_runs_and_is_seeded(trained_weights, tmp_path):
    net = tmp_path / "net.npz"
    main(["convert", "digits-cnn-bn-maxpool", "--weights", str(trained_weights), "--out", str(net)])
    rows = []
    for seed in (0, 0, 1):
        out = tmp_path / "p.json"
        assert main(["run", str(net), "--input", "poisson", "--samples", "40", "--timesteps", "32",
                     "--seed", str(seed), "--json", str(out)]) == 0
        rows.append(json.loads(out.read_text()))
    # the same seed gives the same run; another seed another draw (the seed is honoured, not ignored)
    assert rows[0] == {**rows[1], "simulation_s": rows[0]["simulation_s"]}
    assert rows[2]["events_per_inference"] != rows[0]["events_per_inference"]
    # the input fires as Bernoulli draws of its pixel values: 32 * (sum of the pixels) events per sample on
    # average, computed here from the data (standard error about 0.5 % over 40 samples; 3 % allowed)
    from neuro import datasets, io

    graph = io.load(net)
    (input_name,) = graph.inputs
    expected = 32 * datasets.digits().x_test[:40].sum(axis=(1, 2, 3)).mean()
    for row in rows:
        assert row["per_population"][input_name]["events"] == pytest.approx(expected, rel=0.03)


def test_weights_never_unpickle_and_bad_files_are_refused(tmp_path):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"not a tensor file")
    with pytest.raises(ValueError, match="not a readable safetensors"):
        zoo.load_weights("digits-cnn", bad)
    wrong = tmp_path / "wrong.safetensors"
    zoo.save_weights(zoo.build("digits-resnet"), wrong)
    with pytest.raises(ValueError, match="do not fit"):
        zoo.load_weights("digits-cnn", wrong)
    pickled = tmp_path / "model.pt"
    torch.save({"weights": object()}, pickled)
    with pytest.raises(ValueError, match="weights_only"):
        load_model("tests.test_converters.factories:small_net", pickled)


def test_callable_model_with_a_state_dict(tmp_path):
    from tests.test_converters.factories import small_net

    weights = tmp_path / "small.pt"
    torch.save(small_net().state_dict(), weights)
    out = tmp_path / "small.npz"
    assert main(["convert", "tests.test_converters.factories:small_net", "--weights", str(weights),
                 "--dataset", "digits", "--out", str(out)]) == 0
    graph = io.load(out)
    assert graph.metadata["dataset"] == "digits" and graph.metadata["model"].endswith(":small_net")


def test_calibration_data_of_another_shape_is_one_clear_line(tmp_path, capsys):
    from tests.test_converters.factories import small_net

    weights = tmp_path / "small.pt"
    torch.save(small_net().state_dict(), weights)
    out = tmp_path / "small.npz"
    assert main(["convert", "tests.test_converters.factories:small_net", "--weights", str(weights),
                 "--dataset", "mnist1d", "--calibration-samples", "8", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and not out.exists()
    assert "calibration data shape (1, 40) does not match the model's input: '0' (Conv2d" in error


def test_cli_errors_are_clear(tmp_path, capsys):
    assert main(["convert", "no-such-model", "--out", str(tmp_path / "x.npz")]) == 2
    assert "digits-cnn" in capsys.readouterr().err
    assert main(["run", str(tmp_path / "missing.npz")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["train", "nope", "--out", str(tmp_path / "w.safetensors")]) == 2


def test_recipes_name_known_datasets():
    for recipe in zoo.ZOO.values():
        kind, _, folder = recipe.dataset.partition(":")
        if folder:  # a data set the user has (CIFAR-10): not here, so one forward pass on random input
            assert kind == "cifar10"
            shape = (3, 32, 32)
        else:
            assert recipe.dataset in datasets.NAMES
            shape = datasets.load(recipe.dataset).input_shape
        x = zoo.inputs_for(recipe.name, np.random.default_rng(0).random((2, *shape), np.float32))
        assert recipe.build()(torch.as_tensor(x)).shape == (2, 10)


def test_a_failing_user_callable_is_named_in_one_line(tmp_path, monkeypatch, capsys):
    from neuro.app.cli import main

    (tmp_path / "broken_models.py").write_text(
        "def boom():\n    raise RuntimeError('no GPU here')\n\nnot_callable = 3\n")
    (tmp_path / "bad_import.py").write_text("raise KeyError('missing setting')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    out = str(tmp_path / "n.npz")
    assert main(["convert", "broken_models:boom", "--weights", out, "--dataset", "digits", "--out", out]) == 2
    assert main(["convert", "broken_models:not_callable", "--weights", out, "--dataset", "digits", "--out", out]) == 2
    assert main(["convert", "bad_import:model", "--weights", out, "--dataset", "digits", "--out", out]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "neuro convert: error: calling broken_models:boom() failed: RuntimeError: no GPU here",
        "neuro convert: error: broken_models:not_callable is a int, not a callable returning an nn.Module",
        "neuro convert: error: importing 'bad_import' for 'bad_import:model' failed: KeyError: 'missing setting'",
    ]


def test_mnist_lenet_trains_converts_and_runs_on_the_bundled_mnist(tmp_path):
    """The MNIST path end to end through the CLI, briefly trained (accuracy is not the point here)."""
    weights, net, report = tmp_path / "lenet.safetensors", tmp_path / "lenet.npz", tmp_path / "run.json"
    assert main(["train", "mnist-lenet", "--epochs", "1", "--out", str(weights)]) == 0
    assert main(["convert", "mnist-lenet", "--weights", str(weights), "--calibration-samples", "100",
                 "--out", str(net)]) == 0
    graph = io.load(net)
    assert graph.metadata["dataset"] == "mnist" and graph.shapes[graph.inputs[0]] == (1, 28, 28)
    assert main(["run", str(net), "--timesteps", "16", "--samples", "50", "--json", str(report)]) == 0
    row = json.loads(report.read_text())
    assert row["dataset"] == "mnist" and row["samples"] == 50
    assert row["ann_accuracy"] > 0.5 and row["snn_accuracy"] > 0.5  # one epoch already learns most digits


def test_cifar10_vgg_trains_on_the_folder_it_is_given(tmp_path, monkeypatch):
    """A CIFAR-10 folder written in the official format; the recipe shortened to one small epoch."""
    import dataclasses

    rng = np.random.default_rng(0)
    for name in datasets.CIFAR10_FILES:
        labels = rng.integers(0, 10, (4, 1), dtype=np.uint8)
        (tmp_path / name).write_bytes(np.concatenate([labels, rng.integers(0, 256, (4, 3072), dtype=np.uint8)],
                                                     axis=1).tobytes())
    monkeypatch.setitem(zoo.ZOO, "cifar10-vgg", dataclasses.replace(zoo.ZOO["cifar10-vgg"], batch_size=20))
    model = zoo.train("cifar10-vgg", epochs=1, dataset=f"cifar10:{tmp_path}")
    assert model(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    with pytest.raises(FileNotFoundError, match="data_batch_1.bin"):
        zoo.train("cifar10-vgg", epochs=1, dataset=f"cifar10:{tmp_path / 'elsewhere'}")


def test_a_dataset_given_as_arrays_is_what_training_reads():
    import dataclasses

    import torch

    from neuro import datasets

    digits = datasets.load("digits")
    by_name = zoo.train("digits-cnn", epochs=1)
    same = zoo.train("digits-cnn", epochs=1, dataset=digits)
    shuffled = zoo.train("digits-cnn", epochs=1, dataset=dataclasses.replace(digits, y_train=digits.y_train[::-1]))
    for key, value in by_name.state_dict().items():
        assert torch.equal(value, same.state_dict()[key]), key
    assert not all(torch.equal(v, shuffled.state_dict()[k]) for k, v in by_name.state_dict().items())
