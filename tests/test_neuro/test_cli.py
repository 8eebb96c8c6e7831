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


def test_demo_writes_a_network_and_a_summary(tmp_path, capsys):
    assert main(["demo", "--quick", "--out", str(tmp_path)]) == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["engines_agree"] is True
    assert summary["per_inference"]["synops"] > 0
    graph = io.load(tmp_path / "random_network.npz")
    assert graph.output == "out"
    assert "identical spikes: True" in capsys.readouterr().out
