import json
import subprocess
import sys

from neuro import io
from neuro.cli import main


def test_help_lists_the_commands(capsys):
    assert main([]) == 0
    assert "demo" in capsys.readouterr().out


def test_console_script_is_installed():
    done = subprocess.run([sys.executable, "-m", "neuro.cli", "--help"], capture_output=True, text=True,
                          check=True)
    assert "COMMAND" in done.stdout


def test_demo_writes_networks_and_a_summary(tmp_path, capsys):
    assert main(["demo", "--quick", "--out", str(tmp_path)]) == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["oracle"]["identical_spikes"] is True
    (row,) = summary["conversion"]
    assert row["model"] == "digits-cnn-bn-maxpool" and row["samples"] == 100
    assert row["snn_accuracy"] >= 0.9 and row["synops_per_inference"] > 0
    graph = io.load(tmp_path / "digits-cnn-bn-maxpool.npz")
    assert graph.metadata["model"] == "digits-cnn-bn-maxpool"
    out = capsys.readouterr().out
    assert "identical spikes = True" in out and "| digits-cnn-bn-maxpool | 100 |" in out
