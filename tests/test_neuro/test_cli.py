import dataclasses
import json
import subprocess
import sys

import numpy as np
import pytest

import hardware_profiles
from neuro import io, ir
from neuro.app import cli
from neuro.app.cli import main


def test_help_lists_the_commands(capsys):
    assert main([]) == 0
    assert "demo" in capsys.readouterr().out


def test_console_script_is_installed():
    done = subprocess.run([sys.executable, "-m", "neuro.app.cli", "--help"], capture_output=True, text=True,
                          check=True)
    assert "COMMAND" in done.stdout


def test_demo_writes_a_report_and_a_summary(tmp_path, capsys):
    assert main(["demo", "--quick", "--out", str(tmp_path)]) == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["oracle"]["identical_spikes"] is True
    rows = json.loads((tmp_path / "results.json").read_text())
    assert {r["profile"] for r in rows} == {"loihi2", "truenorth"} and all(r["samples"] == 60 for r in rows)
    for name in ("report.md", "report.html", "accuracy_vs_energy.png", "networks/digits-cnn-bn-maxpool.npz"):
        assert (tmp_path / name).is_file()
    graph = io.load(tmp_path / "networks" / "digits-cnn-bn-maxpool.npz")
    assert graph.metadata["model"] == "digits-cnn-bn-maxpool"
    out = capsys.readouterr().out
    assert "identical spikes = True" in out and "best accuracy per joule" in out and "report.html" in out


def test_output_paths_are_checked_before_any_training(tmp_path, capsys):
    import time

    (tmp_path / "folder").mkdir()
    start = time.perf_counter()
    assert main(["train", "digits-cnn", "--out", str(tmp_path / "folder")]) == 2
    assert main(["convert", "digits-cnn", "--out", str(tmp_path / "folder")]) == 2
    assert time.perf_counter() - start < 20  # refused up front, not after a training run
    assert capsys.readouterr().err.count("is a folder; give a file name") == 2


def test_an_export_never_overwrites_a_file_it_did_not_name(tmp_path, capsys):
    from neuro import ir

    graph = ir.Graph(nodes={"in": ir.Input((2,)), "w": ir.Dense([[1.0, 0.5]]), "n": ir.IF.uniform((1,))},
                     edges=(("in", "w"), ("w", "n")))
    network = io.save(graph, tmp_path / "net.npz")
    victim = tmp_path / "dir" / "victim.npz"
    victim.parent.mkdir()
    victim.write_bytes(b"precious")
    assert main(["export", str(network), "--to", "snntorch", "--out", str(tmp_path / "dir" / "victim.py")]) == 2
    assert "was not named" in capsys.readouterr().err
    assert victim.read_bytes() == b"precious" and not (tmp_path / "dir" / "victim.py").exists()


def _strict(text):
    def refuse(constant):
        raise ValueError(f"non-standard JSON constant {constant}")
    return json.loads(text, parse_constant=refuse)


def _digits_network(path):
    weight = np.random.default_rng(0).normal(size=(10, 64)) * 0.1
    graph = ir.Graph(nodes={"in": ir.Input((1, 8, 8)), "f": ir.Flatten(), "w": ir.Dense(weight),
                            "n": ir.IF.uniform((10,))},
                     edges=(("in", "f"), ("f", "w"), ("w", "n")), metadata={"dataset": "digits"})
    return io.save(graph, path)


def test_run_and_map_json_stay_strict_when_a_figure_is_not_finite(tmp_path, monkeypatch, capsys):
    # issue 21: a step of 1e308 s made energy and latency inf, and `neuro run --json` wrote Infinity and NaN.
    # The loader now refuses that step; a profile built through the API can still carry it.
    loihi = hardware_profiles.load("loihi")
    huge = dataclasses.replace(loihi, cost=dataclasses.replace(loihi.cost, time_step_s=1e308))
    monkeypatch.setattr(cli, "_neuromorphic_profile", lambda name: huge)
    network = _digits_network(tmp_path / "net.npz")
    out = tmp_path / "run.json"
    assert main(["run", str(network), "--profile", "loihi", "--samples", "10", "--timesteps", "4",
                 "--json", str(out)]) == 0
    row = _strict(out.read_text())
    assert row["energy_j_per_inference"] is None and row["latency_s_per_inference"] is None
    assert {"energy_j_per_inference": "inf", "latency_s_per_inference": "inf"}.items() <= row["non_finite"].items()
    assert row["snn_accuracy"] is not None
    assert main(["map", str(network), "--profile", "loihi", "--json", str(tmp_path / "map.json")]) == 0
    assert _strict((tmp_path / "map.json").read_text())["fits"] is True


def test_a_profile_file_with_an_absurd_step_is_refused_in_one_line(tmp_path, capsys):
    profile = tmp_path / "fast.toml"
    profile.write_text(hardware_profiles.PROFILE_DIR.joinpath("loihi.toml").read_text()
                       .replace("time_step_s = { value = 1.0e-5", "time_step_s = { value = 1e308"))
    network = _digits_network(tmp_path / "net.npz")
    for argv in (["profiles", "check", str(profile)], ["run", str(network), "--profile", str(profile)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err == (f"neuro {argv[0]}: error: {profile}: cost.time_step_s: value must lie in [1e-12, 1] s, "
                       "got 1e+308\n")


@pytest.mark.parametrize("command", [["profiles", "list"], ["map", "net.npz", "--profile", "loihi"]])
def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys, command):
    # issue 21: an interrupted command printed a 16-53 line KeyboardInterrupt traceback
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, f"_cmd_{command[0]}", interrupted)
    assert main(command) == 130
    captured = capsys.readouterr()
    assert captured.err == f"neuro {command[0]}: interrupted\n" and captured.out == ""
