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
