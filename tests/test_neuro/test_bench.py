"""neuro bench: rows, report, agreement with neuro run, Dask == serial, bad input, no half-written report."""

import json
import signal

import pytest

from neuro.app import bench
from neuro.app.cli import main

MODEL = "digits-cnn-bn-maxpool"


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    folder = tmp_path_factory.mktemp("weights")
    assert main(["train", MODEL, "--out", str(folder / f"{MODEL}.safetensors")]) == 0
    return folder


def _bench(out, weights, **kwargs):
    options = {"samples": 60, "weights_dir": str(weights), "show_progress": False, "log": lambda m: None}
    options.update(kwargs)
    return bench.run_bench([MODEL], ["loihi2", "truenorth"], [4, 16], str(out), **options)


def test_bench_writes_rows_report_and_plots(tmp_path, weights):
    outcome = _bench(tmp_path / "b", weights, workers=1)
    folder = tmp_path / "b"
    rows = json.loads((folder / "results.json").read_text())
    assert len(rows) == 4
    required = {"model", "dataset", "profile", "timesteps", "latency_model", "samples", "conversion",
                "ann_accuracy", "snn_accuracy", "agreement", "synops_per_inference", "events_per_inference",
                "energy_j_per_inference", "latency_s_per_inference", "ann_energy_j_per_inference", "ann_baseline",
                "fits", "cores", "chips", "violations"}
    for row in rows:
        assert required <= set(row)
    truenorth = [r for r in rows if r["profile"] == "truenorth"]
    assert all(not r["fits"] and r["violations"] for r in truenorth)  # still a row, with its violations
    for name in ("report.md", "report.html", "accuracy_vs_timesteps.png", "accuracy_vs_energy.png",
                 "layers.png", "utilisation.png", "energy_breakdown.png"):
        assert (folder / name).stat().st_size > 0
    html = (folder / "report.html").read_text()
    assert "data:image/png;base64," in html and "<img src=" not in html.replace('src="data:', "")
    # every chip is billed now (Loihi 2 from its PilotNet measurement): both profiles are ranked
    assert {r["profile"] for r in outcome["report"].best} == {"loihi2", "truenorth"}
    assert all(r["energy_j_per_inference"] is not None for r in rows)
    assert "Best accuracy per joule" in (folder / "report.md").read_text()


def test_report_numbers_equal_neuro_run(tmp_path, weights):
    _bench(tmp_path / "b", weights, workers=1)
    rows = json.loads((tmp_path / "b" / "results.json").read_text())
    row = next(r for r in rows if r["profile"] == "truenorth" and r["timesteps"] == 16)
    out = tmp_path / "run.json"
    assert main(["run", str(tmp_path / "b" / "networks" / f"{MODEL}.npz"), "--profile", "truenorth",
                 "--timesteps", "16", "--samples", "60", "--json", str(out)]) == 0
    single = json.loads(out.read_text())
    for key in ("snn_accuracy", "ann_accuracy", "synops_per_inference", "events_per_inference",
                "energy_j_per_inference", "latency_s_per_inference", "ann_energy_j_per_inference", "cores"):
        assert row[key] == single[key], key
    # the same bill through the Python API, as a notebook makes it: map, simulate, bill_result
    import hardware_profiles
    import neuro
    from neuro import datasets, encode, io
    from neuro.billing import bill_result
    from neuro.mapping import map_to_profile
    from neuro.structure import ann_workload

    graph, profile = io.load(tmp_path / "b" / "networks" / f"{MODEL}.npz"), hardware_profiles.load("truenorth")
    mapped = map_to_profile(graph, profile)
    net = neuro.compile_network(mapped.graph, dt=profile.cost.time_step_s)
    result = neuro.simulate(net, encode.constant(datasets.digits().x_test[:60]), timesteps=16)
    charge = bill_result(mapped, profile, result, workload=ann_workload(graph))
    assert charge.energy_j == row["energy_j_per_inference"] > 0
    assert charge.latency_s == row["latency_s_per_inference"]
    assert charge.ann_j_by_device == row["ann_energy_j_by_device"]
    assert charge.energy.components_j == row["energy_components_j"]


def test_dask_and_process_pool_give_the_same_results_as_serial(tmp_path, weights):
    import distributed
    _bench(tmp_path / "serial", weights, workers=1)
    _bench(tmp_path / "pool", weights, workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        _bench(tmp_path / "dask", weights, scheduler=cluster.scheduler_address)
    serial = (tmp_path / "serial" / "results.json").read_text()
    assert (tmp_path / "pool" / "results.json").read_text() == serial
    assert (tmp_path / "dask" / "results.json").read_text() == serial


def test_bad_input_lists_the_valid_names(tmp_path):
    with pytest.raises(ValueError, match="digits-cnn"):
        bench.run_bench(["no-model"], ["loihi"], [8], str(tmp_path))
    with pytest.raises(ValueError, match="truenorth"):
        bench.run_bench([MODEL], ["gpu"], [8], str(tmp_path))
    assert main(["bench", "--models", MODEL, "--profiles", "nochip", "--timesteps", "8", "--out",
                 str(tmp_path)]) == 2


def test_an_interrupted_sweep_leaves_no_report(tmp_path, weights, monkeypatch):
    calls = []
    original = bench.run_task

    def failing(task):
        calls.append(task)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(task)

    monkeypatch.setattr(bench, "run_task", failing)
    with pytest.raises(KeyboardInterrupt):
        _bench(tmp_path / "b", weights, workers=1)
    assert list(tmp_path.iterdir()) == []  # no report, no converted networks, no staging folder


def test_an_output_folder_is_replaced_whole_and_kept_when_a_sweep_fails(tmp_path, weights, monkeypatch):
    out = tmp_path / "b"
    out.mkdir()
    (out / "results.json").write_text("[]")
    (out / "stale.png").write_bytes(b"old")
    monkeypatch.setattr(bench, "run_task", lambda task: (_ for _ in ()).throw(RuntimeError("worker failed")))
    with pytest.raises(RuntimeError, match="worker failed"):
        _bench(out, weights, workers=1)
    assert sorted(p.name for p in out.iterdir()) == ["results.json", "stale.png"]  # the old results, untouched
    assert (out / "results.json").read_text() == "[]" and sorted(p.name for p in tmp_path.iterdir()) == ["b"]
    monkeypatch.undo()
    _bench(out, weights, workers=1)
    names = {p.name for p in out.iterdir()}
    assert "stale.png" not in names and {"results.json", "report.md", "report.html"} <= names
    assert json.loads((out / "results.json").read_text())  # new rows, from this sweep only


def test_output_and_model_names_are_checked_before_any_work(tmp_path, weights):
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="is a file"):
        _bench(tmp_path / "file", weights, workers=1)
    network = tmp_path / "net.npz"
    assert main(["convert", MODEL, "--weights", str(weights / f"{MODEL}.safetensors"), "--out", str(network)]) == 0
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "net.npz").write_bytes(network.read_bytes())
    with pytest.raises(ValueError, match="both be named 'net'"):
        bench.run_bench([str(network), str(tmp_path / "other" / "net.npz")], ["loihi"], [4], str(tmp_path / "o"),
                        samples=10, workers=1, show_progress=False, log=lambda m: None)
    assert not (tmp_path / "o").exists()



def test_a_network_without_an_ann_reading_gets_a_report(tmp_path):
    """LIF populations (as an imported network may have) have no ANN reading: the rows say n/a and
    the plot marks the ANN's energy alone."""
    import numpy as np

    from neuro import io, ir

    rng = np.random.default_rng(0)
    graph = ir.Graph(nodes={"in": ir.Input((1, 8, 8)), "flat": ir.Flatten(),
                            "fc": ir.Dense(rng.normal(0, 0.3, (10, 64))), "out": ir.LIF.uniform((10,), tau=0.02)},
                     edges=(("in", "flat"), ("flat", "fc"), ("fc", "out")), metadata={"dataset": "digits"})
    path = io.save(graph, tmp_path / "lif.npz")
    bench.run_bench([str(path)], ["loihi"], [8], str(tmp_path / "b"), samples=20, workers=1, show_progress=False,
                    log=lambda m: None)
    (row,) = json.loads((tmp_path / "b" / "results.json").read_text())
    assert row["ann_accuracy"] is None and row["agreement"] is None
    assert (tmp_path / "b" / "accuracy_vs_energy.png").stat().st_size > 0
    assert "| n/a |" in (tmp_path / "b" / "report.md").read_text()


@pytest.mark.parametrize("realisation", ["binary", "rate"])
def test_a_binary_spike_lstm_file_is_benchmarked_with_the_lstm_it_came_from(tmp_path, realisation):
    import torch

    from converters.lstm.binary import BinaryLSTMConfig, from_lstm_binary
    from converters.lstm.graded import SequenceClassifier
    from converters.lstm.rate import RateLSTMConfig, from_lstm_rate
    from neuro import io
    from neuro.ir import Graph

    torch.manual_seed(0)
    model = SequenceClassifier(8, 3, 10).eval()
    graph = (from_lstm_binary(model, BinaryLSTMConfig(levels=2, cell_levels=2)) if realisation == "binary"
             else from_lstm_rate(model, RateLSTMConfig(window=2)))
    path = tmp_path / "tiny-lstm.npz"
    io.save(Graph(nodes=graph.nodes, edges=graph.edges, metadata={**graph.metadata, "dataset": "digits"}), path)
    bench.run_bench([str(path)], ["loihi"], [8], str(tmp_path / "b"), samples=20, workers=1, show_progress=False,
                    log=lambda m: None)
    (row,) = json.loads((tmp_path / "b" / "results.json").read_text())
    assert row["conversion"]["realisation"] == realisation and row["fits"]
    assert row["ann_accuracy"] is not None and row["agreement"] is not None  # read back from the network
    assert row["ann_macs_per_inference"] == 8 * (4 * 3 * 11 + 3 * 3) + 10 * 3  # the LSTM's own, per sequence


@pytest.mark.parametrize("model", [MODEL, "digits-lstm"])
def test_neuro_convert_and_neuro_bench_give_the_same_graph(tmp_path, model):
    # one conversion entry (neuro.app.convert): the same model and default options give the same network
    from neuro import io, ir

    weights = tmp_path / "weights"
    assert main(["train", model, "--epochs", "1", "--out", str(weights / f"{model}.safetensors")]) == 0
    assert main(["convert", model, "--weights", str(weights / f"{model}.safetensors"),
                 "--out", str(tmp_path / "cli.npz")]) == 0
    prepared = bench.prepare_models([model], tmp_path / "bench", weights_dir=str(weights), log=lambda m: None)
    through_cli, through_bench = io.load(tmp_path / "cli.npz"), io.load(prepared[model][0])
    assert ir.equal(through_cli, through_bench)
    assert through_bench.metadata["model"] == model and through_bench.metadata["dataset"] == "digits"


def test_bad_conversion_options_are_refused_before_any_training(tmp_path, capsys):
    assert main(["convert", MODEL, "--calibration-samples", "-1250", "--out", str(tmp_path / "n.npz")]) == 2
    assert "--calibration-samples must be at least 1" in capsys.readouterr().err
    assert not (tmp_path / "n.npz").exists()


WORKERS_SCRIPT = """
import os, signal, time
from neuro.app import bench

if __name__ == "__main__":
    pool = bench._worker_pool(2)  # the sweep's own pool
    waiting = [pool.apply_async(time.sleep, (60,)) for _ in range(2)]
    time.sleep(3)  # the workers have started and run their initialiser
    print(" ".join(str(p.pid) for p in pool._pool), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no clean-up runs: the pool's own shutdown never happens
"""


@pytest.mark.slow
def test_workers_end_when_their_parent_is_killed():
    import os
    import subprocess
    import sys
    import time

    done = subprocess.run([sys.executable, "-c", WORKERS_SCRIPT], capture_output=True, text=True, timeout=60)
    pids = [int(p) for p in done.stdout.split()]
    assert len(pids) == 2

    def alive(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        with open(f"/proc/{pid}/stat") as stat:  # a zombie has ended; only its exit status waits
            return stat.read().split()[2] != "Z"

    deadline = time.time() + 10
    while any(alive(p) for p in pids) and time.time() < deadline:
        time.sleep(0.2)
    assert not any(alive(p) for p in pids)


def test_pool_workers_ignore_ctrl_c_so_only_the_parent_reports_it():
    # issue 21: Ctrl-C reached every worker of the process group, and each printed its own traceback
    before = signal.getsignal(signal.SIGINT)
    with bench._worker_pool(1) as pool:
        assert pool.apply(signal.getsignal, (signal.SIGINT,)) == signal.SIG_IGN
    assert signal.getsignal(signal.SIGINT) is before  # the parent still turns Ctrl-C into KeyboardInterrupt


def test_bench_takes_a_users_toml_profile_and_every_small_chip(tmp_path, weights):
    import re
    from pathlib import Path

    import hardware_profiles as hp
    from neuro import io
    from neuro.mapping import map_to_profile

    # a user's profile: Loihi with its synaptic operation twice as dear, whatever the shipped figure is
    text = Path(hp.load("loihi").path).read_text().replace('name = "loihi"', 'name = "loihi-dear"', 1)
    text, changed = re.subn(r"^(synop_pj = \{ value = )([0-9.e+-]+)", lambda m: f"{m[1]}{2 * float(m[2])!r}", text,
                           flags=re.M)
    assert changed == 1
    mine = tmp_path / "loihi-dear.toml"
    mine.write_text(text)
    out = tmp_path / "b"
    bench.run_bench([MODEL], ["loihi", str(mine), "speck", "xylo", "spinnaker"], [8], str(out), samples=30,
                    weights_dir=str(weights), workers=1, show_progress=False, log=lambda m: None)
    rows = {r["profile"]: r for r in json.loads((out / "results.json").read_text())}
    assert set(rows) == {"loihi", "loihi-dear", "speck", "xylo", "spinnaker"}
    base, dear = rows["loihi"]["energy_components_j"], rows["loihi-dear"]["energy_components_j"]
    synaptic = ("synops", "graded_synops")  # the input layer's graded operations fall back to the synop cost
    assert all(dear[k] == pytest.approx(2 * base[k]) and base[k] > 0 for k in synaptic)
    assert {k: v for k, v in dear.items() if k not in synaptic} == {k: v for k, v in base.items() if k not in synaptic}
    # each chip's fit, cores and violations are those of mapping the written network for it directly
    graph = io.load(out / "networks" / f"{MODEL}.npz")
    for name, row in rows.items():
        mapped = map_to_profile(graph, hp.load(str(mine) if name == "loihi-dear" else name))
        assert (row["fits"], row["cores"]) == (mapped.fits, mapped.cores), name
        assert row["violations"] == [str(v) for v in mapped.violations], name
    assert rows["spinnaker"]["energy_j_per_inference"] > 0


def test_ctrl_c_while_waiting_on_a_dask_cluster_is_one_line_and_cancels_the_sweep(tmp_path, weights, monkeypatch,
                                                                                 capsys):
    import time

    import distributed

    def interrupted(self, timeout=None):  # Ctrl-C arrives while the client waits for the first row
        raise KeyboardInterrupt

    out = tmp_path / "b"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        monkeypatch.setattr(distributed.Future, "result", interrupted)
        assert main(["bench", "--models", MODEL, "--profiles", "loihi", "truenorth", "--timesteps", "8", "16",
                     "--samples", "30", "--weights-dir", str(weights), "--scheduler", cluster.scheduler_address,
                     "--out", str(out)]) == 130
        deadline = time.time() + 10  # the client has gone, so the scheduler forgets (cancels) its tasks
        while cluster.scheduler.tasks and time.time() < deadline:
            time.sleep(0.1)
        assert not cluster.scheduler.tasks
    err = capsys.readouterr().err
    assert err.endswith("neuro bench: interrupted\n") and "Traceback" not in err, err
    assert not out.exists()  # no half-written output folder


def test_the_ranking_puts_fitting_combinations_first_and_marks_the_others():
    from neuro.app.report import best_points, best_text

    def row(profile, fits, accuracy, energy):
        return {"profile": profile, "fits": fits, "snn_accuracy": accuracy, "energy_j_per_inference": energy,
                "model": "m", "timesteps": 4, "ann_energy_j_per_inference": 1e-6, "ann_baseline": "cpu"}

    # the non-fitting chip has by far the best accuracy per joule, and still ranks last
    rows = [row("a", True, 0.9, 1e-3), row("b", False, 0.95, 1e-9), row("c", True, 0.9, 1e-6),
            row("c", False, 0.99, 1e-12), row("d", True, 0.9, None)]
    best = best_points(rows)
    assert [(r["profile"], r["fits"]) for r in best] == [("c", True), ("a", True), ("b", False)]
    assert "no (does not fit)" in best_text(best).splitlines()[-1]


def test_energies_print_in_readable_units():
    from neuro.app.report import energy_text

    assert [energy_text(j) for j in (2.5, 1.66e-3, 6.6e-6, 4.2e-8, 3e-13, 0.0, None)] == [
        "2.5 J", "1.66 mJ", "6.6 µJ", "42 nJ", "0.3 pJ", "0 J", "n/a"]


def test_the_report_lists_each_chips_held_out_gap(tmp_path, weights):
    calibration = [
        {"chip": "truenorth", "workload": "w1", "source": "s1", "gap": 0.086, "used_for_fit": False},
        {"chip": "loihi2", "workload": "PilotNet", "source": "s2", "gap": -0.002, "used_for_fit": True}]
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(calibration))
    _bench(tmp_path / "b", weights, workers=1, calibration=str(path))
    report = (tmp_path / "b" / "report.md").read_text()
    assert "## Calibration against silicon" in report
    assert "- truenorth: held out, w1 (s1): +9%" in report
    assert "- loihi2: fitted on its only measurement (PilotNet); no independent check" in report
    (tmp_path / "bad.json").write_text("[1]")
    with pytest.raises(ValueError, match="not the rows"):
        _bench(tmp_path / "c", weights, calibration=str(tmp_path / "bad.json"))


def test_every_cost_of_the_energy_model_falls_in_one_group_of_the_breakdown_plot():
    from hardware_profiles.energy import EVENT_COSTS
    from neuro.app.report import ENERGY_GROUPS, energy_groups

    components = [*EVENT_COSTS, "core_steps", "chip_steps", "static"]
    members = [m for group in ENERGY_GROUPS.values() for m in group]
    assert sorted(members) == sorted(components)  # each in exactly one group
    bill = {name: float(i + 1) for i, name in enumerate(components)}  # 1, 2, ... joules
    grouped = energy_groups(bill)
    assert grouped["synaptic ops"] == bill["synops"] + bill["graded_synops"]
    assert grouped["routing"] == bill["events"] + bill["hops"] + bill["chip_crossings"]
    assert sum(grouped.values()) == sum(bill.values())
    with pytest.raises(ValueError, match="'leakage'"):
        energy_groups({"leakage": 1.0})


def test_the_report_says_how_each_network_was_converted():
    from neuro.app.report import _describe_conversion

    plain = {"method": "rate", "percentile": 99.9, "half_threshold_init": True}
    assert _describe_conversion(plain) == "rate, percentile 99.9, half_threshold_init True"
    tuned = {**plain, "signed": True, "membrane_calibration": {"timesteps": 4, "rounds": 2}}
    assert _describe_conversion(tuned) == ("rate, percentile 99.9, half_threshold_init True, signed True, "
                                           "initial membranes calibrated for T = 4")
