"""``neuro bench``: sweep models x profiles x timesteps into a report.

Every combination is one task that simulates a converted network on a chip
profile over the held-out test set (see :func:`neuro.app.evaluate.evaluate_graph`).
Tasks run serially, on a local process pool (the default: one process per core,
one Numba thread each), or on a Dask distributed cluster (``scheduler=ADDRESS``).
Tasks are pure functions of their arguments (files in, a row out, seeds fixed per
task), so the results do not depend on how they were spread.

Like the CLI, this module is a composition root: it imports the converters (and
so torch) to train and convert zoo models, lazily.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neuro import datasets, io
from neuro.ir import Graph
from neuro.sequence import SequenceTiming

__all__ = ["BenchTask", "run_task", "prepare_models", "run_bench", "layer_diagnostics"]


@dataclass(frozen=True)
class BenchTask:
    """One model x profile x timesteps combination (plain values, cheap to send to a worker)."""

    model: str
    network: str  # path of the converted network file
    dataset: str
    profile: str
    timesteps: int
    latency_model: str
    samples: int | None
    ann_baseline: str
    seed: int


def ann_reader(graph: Graph) -> Callable[[Graph, np.ndarray], np.ndarray] | None:
    """The converter's read-back of a network's ANN, for networks the core cannot read back itself
    (a binary or rate-coded LSTM); ``None`` for the rest (see :func:`neuro.app.evaluate.evaluate_graph`)."""
    realisation = graph.metadata.get("conversion", {}).get("realisation")
    if realisation == "binary":
        from converters.lstm.binary import ann_logits

        return ann_logits
    if realisation == "rate":
        from converters.lstm.rate import rate_ann_logits

        return rate_ann_logits
    return None


def run_task(task: BenchTask) -> dict:
    """Simulate one combination; returns its results row (no timing fields, so rows are reproducible)."""
    import numba

    import hardware_profiles
    from neuro.app.evaluate import evaluate_graph

    if os.environ.get("NEURO_BENCH_WORKER"):
        numba.set_num_threads(1)
    graph = io.load(task.network)
    row = evaluate_graph(graph, datasets.load(task.dataset), timesteps=task.timesteps,
                         latency_model=task.latency_model, samples=task.samples, seed=task.seed,
                         profile=hardware_profiles.load(task.profile), ann_baseline=task.ann_baseline,
                         show_progress=False, ann_logits=ann_reader(graph)).to_row()
    row.pop("simulation_s")
    row.pop("snn_accuracy_at")
    return {"model": task.model, **row}


def _pool_initialiser() -> None:
    os.environ["NEURO_BENCH_WORKER"] = "1"  # one Numba thread per worker process: no oversubscription
    parent = os.getppid()

    def exit_with_parent():  # a worker whose parent was killed (SIGKILL runs no clean-up) ends itself
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=exit_with_parent, daemon=True, name="exit-with-parent").start()


def prepare_models(models: list[str], folder: Path, *, weights_dir: str | None = None,
                   log: Callable[[str], None] = print) -> dict[str, tuple[str, str]]:
    """Each model as a network file: {name: (path, dataset)}. Zoo names are trained (or loaded) and converted."""
    from converters import zoo
    from converters.loading import LoadedModel
    from neuro.app.convert import convert

    prepared = {}
    for name in models:
        if name.endswith(".npz"):
            graph = io.load(name)
            dataset = graph.metadata.get("dataset")
            if dataset is None:
                raise ValueError(f"{name} does not name its data set; convert it with `neuro convert`")
            key = Path(name).stem
            if key in prepared:
                raise ValueError(f"two models would both be named {key!r} in the results ({prepared[key][0]} and "
                                 f"{name}); give the network files different names")
            prepared[key] = (str(name), dataset)
            continue
        recipe = zoo.recipe(name)
        weights = Path(weights_dir) / f"{name}.safetensors" if weights_dir else None
        if weights is not None and weights.is_file():
            model = zoo.load_weights(name, weights)
            log(f"{name}: loaded weights from {weights}")
        else:
            start = time.perf_counter()
            model = zoo.train(name)
            log(f"{name}: trained with its seeded recipe in {time.perf_counter() - start:.0f} s")
            if weights is not None:
                zoo.save_weights(model, weights)
        loaded = LoadedModel(model, name, recipe.dataset, recipe.conversion, recipe.default_threshold)
        graph, _ = convert(loaded, datasets.load(recipe.dataset))  # the defaults of `neuro convert`
        path = folder / "networks" / f"{name}.npz"
        io.save(graph, path)
        prepared[name] = (str(path), graph.metadata["dataset"])
    return prepared


def layer_diagnostics(graph: Graph, dataset: str, *, timesteps: int, samples: int = 200) -> list[dict]:
    """Per population: mean firing rate and the SNN's error against the ANN activation (rate units).

    A signed population's rate counts its events of either sign (what a chip sends and bills), so its error
    against the ANN includes the spikes it took back; ``signed`` marks those rows."""
    from neuro import analog, encode
    from neuro.compile import compile_network
    from neuro.engine import simulate

    data = datasets.load(dataset)
    x = data.x_test[:samples]
    try:
        ann = analog.evaluate(graph, x)
    except ValueError:
        return []
    result = simulate(compile_network(graph), encode.constant(x), timesteps=timesteps)
    rows = []
    for name in graph.populations:
        snn_rate = result.counts_of(name) / timesteps
        ann_rate = np.minimum(ann.rate[name].reshape(len(x), -1), 1.0)
        rows.append({"population": name, "neurons": int(snn_rate.shape[1]),
                     "firing_rate": float(snn_rate.mean()), "ann_rate": float(ann_rate.mean()),
                     "mean_abs_error": float(np.abs(snn_rate - ann_rate).mean()),
                     "saturated_fraction": float((ann.rate[name] >= 1.0).mean()),
                     "signed": bool(getattr(graph.nodes[name], "signed", False))})
    return rows


def _execute(tasks: list[BenchTask], *, workers: int, scheduler: str | None, progress) -> list[dict]:
    if scheduler is not None:
        from distributed import Client

        with Client(scheduler) as client:
            futures = client.map(run_task, tasks, pure=False)
            rows = []
            for future in futures:  # in task order
                rows.append(future.result())
                progress.update()
            return rows
    if workers <= 1:
        rows = []
        for task in tasks:
            rows.append(run_task(task))
            progress.update()
        return rows
    pool = _worker_pool(workers)
    try:
        rows = []
        for row in pool.imap(run_task, tasks):  # in task order
            rows.append(row)
            progress.update()
        pool.close()  # a clean end: terminating a finished pool leaks its semaphores (a warning at exit)
    except BaseException:
        pool.terminate()  # Ctrl-C or a failed task: the workers stop now
        raise
    finally:
        pool.join()
    return rows


def _worker_pool(workers: int):
    """A pool of ``workers`` processes that ignore Ctrl-C: the parent alone reports it and ends them.

    A terminal sends SIGINT to the whole process group; a worker still importing (spawn
    re-imports the parent's modules) or running a task would print its own traceback.
    Ignored signals survive exec, so the workers are started with SIGINT ignored.
    """
    # spawn, not fork: the parent already runs Numba's OpenMP threads, which fork would break
    context = multiprocessing.get_context("spawn")
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        return context.Pool(workers, initializer=_pool_initialiser)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return context.Pool(workers, initializer=_pool_initialiser)  # starts every worker now
    finally:
        signal.signal(signal.SIGINT, previous)


def run_bench(models: list[str], profiles: list[str], timesteps: list[int], out: str, *,
              samples: int | None = None, latency_model: str = "same-step", ann_baseline: str = "horowitz45nm",
              workers: int | None = None, scheduler: str | None = None, weights_dir: str | None = None,
              seed: int = 0, log: Callable[[str], None] = print, show_progress: bool = True,
              calibration: str | None = None) -> dict:
    """Run the sweep and write results.json, report.md, report.html and the plots into ``out``;
    ``calibration`` is a JSON file of benchmarks/silicon_calibration.py whose held-out gaps the report shows."""
    import hardware_profiles
    from converters import zoo

    known_models = set(zoo.names())
    unknown = [m for m in models if m not in known_models and not m.endswith(".npz")]
    if unknown:
        raise ValueError(f"unknown models {unknown}; choose from {', '.join(sorted(known_models))} "
                         "or give network files (.npz)")
    chips = hardware_profiles.available("neuromorphic")
    bad = [p for p in profiles if p not in chips and not p.endswith(".toml")]
    if bad:
        raise ValueError(f"unknown or non-neuromorphic profiles {bad}; choose from {', '.join(chips)}")
    if ann_baseline not in hardware_profiles.available("ann"):
        raise ValueError(f"unknown ANN baseline {ann_baseline!r}; choose from "
                         f"{', '.join(hardware_profiles.available('ann'))}")
    if not timesteps or any(t < 1 for t in timesteps):
        raise ValueError("give at least one positive number of timesteps")
    calibration_rows = None if calibration is None else read_calibration(calibration)
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"--out {folder} is a file; give a folder for the results and the report")
    folder.parent.mkdir(parents=True, exist_ok=True)
    # everything goes into a staging folder beside the target, which replaces it whole at the end: an
    # interrupted or failed sweep leaves the previous results as they were, never a mix of old and new
    stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.partial-", dir=folder.parent))
    stage.chmod(0o777 & ~io.current_umask())
    try:
        outcome = _sweep(models, profiles, timesteps, stage, samples=samples, latency_model=latency_model,
                         ann_baseline=ann_baseline, workers=workers, scheduler=scheduler, weights_dir=weights_dir,
                         seed=seed, log=log, show_progress=show_progress, calibration=calibration_rows)
        _replace_folder(stage, folder)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return {**outcome, "folder": folder}


CALIBRATION_KEYS = frozenset({"chip", "workload", "source", "gap", "used_for_fit"})


def read_calibration(path) -> list[dict]:
    """The rows of ``benchmarks/silicon_calibration.py --json FILE``; refused, naming the file, if they are not."""
    import json

    try:
        rows = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise ValueError(f"--calibration {path}: cannot read it as JSON ({error})") from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and CALIBRATION_KEYS <= set(r) for r in rows):
        raise ValueError(f"--calibration {path}: not the rows of benchmarks/silicon_calibration.py --json "
                         f"(each needs {', '.join(sorted(CALIBRATION_KEYS))})")
    return rows


def _replace_folder(stage: Path, folder: Path) -> None:
    """Put ``stage`` where ``folder`` is, removing the old one only once the new one is in place."""
    old = None
    if folder.exists():
        old = folder.parent / f".{folder.name}.old-{os.getpid()}"
        os.rename(folder, old)
    os.rename(stage, folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _sweep(models, profiles, timesteps, folder: Path, *, samples, latency_model, ann_baseline, workers, scheduler,
           weights_dir, seed, log, show_progress, calibration=None) -> dict:
    from neuro.app.progress import progress as progress_bar
    from neuro.app.report import build_report

    start = time.perf_counter()
    prepared = prepare_models(models, folder, weights_dir=weights_dir, log=log)
    graphs = {name: io.load(path) for name, (path, _) in prepared.items()}  # each file read once, here
    tasks = []
    for name, (path, dataset) in prepared.items():
        # a sequence (LSTM) network runs as many steps as its sequences have elements: one task per profile
        sequence = SequenceTiming.of(graphs[name].metadata.get("conversion")) is not None
        steps = [min(timesteps)] if sequence else sorted(set(timesteps))
        tasks += [BenchTask(name, path, dataset, profile, int(t), latency_model, samples, ann_baseline, seed)
                  for profile in profiles for t in steps]
    workers = os.cpu_count() or 1 if workers is None else workers
    progress = progress_bar(f"benchmarking {len(tasks)} combinations", len(tasks), enabled=show_progress)
    try:
        rows = _execute(tasks, workers=workers, scheduler=scheduler, progress=progress)
    finally:
        progress.close()
    log(f"benchmarked {len(tasks)} combinations in {time.perf_counter() - start:.0f} s")
    diagnostics = {name: layer_diagnostics(graphs[name], dataset, timesteps=max(timesteps),
                                           samples=min(samples or 200, 200))
                   for name, (_, dataset) in prepared.items()}
    report = build_report(rows, diagnostics, calibration)
    io.write_json(folder / "results.json", rows, sort_keys=True)
    for name, data in report.images.items():
        io.write_atomic(folder / name, data)
    io.write_atomic(folder / "report.md", report.markdown.encode())
    io.write_atomic(folder / "report.html", report.html.encode())
    seconds = time.perf_counter() - start
    io.write_json(folder / "timings.json", {"seconds": seconds, "tasks": len(tasks), "workers": workers,
                                            "scheduler": scheduler}, indent=None)
    return {"rows": rows, "report": report, "seconds": seconds}
