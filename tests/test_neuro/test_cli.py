import json
import subprocess
import sys

from neuro import io
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
