"""Accuracy of the zoo CNNs after conversion: the table of the CNN-conversion issue.

    python benchmarks/conversion_accuracy.py [--models ...] [--weights-dir DIR] [--json FILE] [--levels L ...]

Each model is trained with its seeded recipe (or loaded from DIR/NAME.safetensors
when present), converted with its default configuration, and simulated on the
whole held-out test set with analog input: the same-step latency model at
T = 4, 8, 16, 32 (one run, read out at each T) and the pipelined model at
T = 32 (+ the network's depth in steps).

With ``--levels``, each model is also trained with quantised ReLUs of each L
(``neuro train MODEL --levels L``: the same seeded recipe; at L = 2 three models
train longer, ``TWO_LEVEL_EPOCHS``), converted as ``neuro
convert`` does (initial membranes calibrated for T = L on the 500 calibration
samples of the training split) and run at T = 1, 2 and 4 (one run, read out at
each T): the low-latency rows, with the accuracy at T = L without the calibration
(``--calibrate-membranes 0``), and the events and the Loihi energy per inference at
T = 4 beside the ReLU model's at T = 32; then the same with signed neurons
(``--signed-neurons``; their events include the negative spikes and are counted as
the other events columns are, on the network quantised for Loihi, although Loihi
itself cannot send a negative spike: the mapping says so).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import hardware_profiles
from converters import zoo
from converters.loading import LoadedModel
from neuro import datasets
from neuro.app.convert import ConvertOptions, convert
from neuro.app.evaluate import evaluate_graph
from neuro.io import to_json, write_json

# The L = 2 models that train longer than their recipe (``neuro train MODEL --levels 2 --epochs E``): the
# choices of benchmarks/level_epochs.py, made on a validation split of the training data (docs/conversion.md).
TWO_LEVEL_EPOCHS = {"mnist1d-cnn": 80, "mnist-lenet": 60, "mnist-resnet": 30}


def _epochs(name: str, levels: int | None) -> int:
    return TWO_LEVEL_EPOCHS.get(name, zoo.recipe(name).epochs) if levels == 2 else zoo.recipe(name).epochs


def _model(name: str, weights_dir: str | None, levels: int | None = None):
    epochs = _epochs(name, levels)
    suffix = ("" if levels is None else f"-L{levels}") + ("" if epochs == zoo.recipe(name).epochs else f"-E{epochs}")
    path = Path(weights_dir) / f"{name}{suffix}.safetensors" if weights_dir else None
    if path is not None and path.is_file():
        return zoo.load_weights(name, path)
    model = zoo.train(name, levels=levels, epochs=epochs)
    if path is not None:
        zoo.save_weights(model, path)
    return model


def _on_loihi(graph, data, timesteps: int) -> dict:
    run = evaluate_graph(graph, data, timesteps=timesteps, profile=hardware_profiles.load("loihi"),
                         show_progress=False)
    return {"events": run.counts.per_inference()["events"], "energy_j": run.hardware.bill.energy_j}


def _converted(name: str, model, data, signed: bool = False, calibrate: bool = True):
    """The network ``neuro convert`` makes of this model: a quantised model's initial membranes are
    calibrated for T = L (``calibrate=False``: ``--calibrate-membranes 0``; a ReLU model's never are);
    ``signed``: ``--signed-neurons``."""
    recipe = zoo.recipe(name)
    loaded = LoadedModel(model=model, name=name, dataset=recipe.dataset, conversion=recipe.conversion)
    options = ConvertOptions(signed=signed or None, membrane_timesteps=None if calibrate else 0)
    return convert(loaded, data, options)[0]


def low_latency_rows(name: str, levels: list[int], weights_dir: str | None) -> list[dict]:
    """The quantised-ReLU rows of one model, beside its ReLU model at T = 32: for each L, unsigned and
    signed, the default conversion (membranes calibrated for T = L) and the uncalibrated one."""
    recipe = zoo.recipe(name)
    data = datasets.load(recipe.dataset)
    relu = _converted(name, _model(name, weights_dir), data)
    relu_ann = evaluate_graph(relu, data, timesteps=1, show_progress=False).ann_accuracy
    relu_t32 = _on_loihi(relu, data, 32)
    rows = []
    for level in levels:
        model = _model(name, weights_dir, level)
        for signed in (False, True):
            graphs = {calibrate: _converted(name, model, data, signed, calibrate) for calibrate in (True, False)}
            steps = max(4, level)  # read out at T = 1, 2, 4 and at T = L
            runs = {calibrate: evaluate_graph(graph, data, timesteps=steps, show_progress=False,
                                              report_timesteps=tuple(sorted({1, 2, 4, level} - {steps})))
                    for calibrate, graph in graphs.items()}
            t4 = _on_loihi(graphs[True], data, 4)
            rows.append({"model": name, "levels": level, "signed": signed, "relu_ann": relu_ann,
                         "quantised_ann": runs[True].ann_accuracy, "snn": runs[True].snn_accuracy_at,
                         "uncalibrated_snn": runs[False].snn_accuracy_at, "samples": runs[True].samples,
                         "signed_populations": len(graphs[True].metadata["conversion"].get("signed_populations", ())),
                         "events_T4": t4["events"], "loihi_j_T4": t4["energy_j"],
                         "relu_events_T32": relu_t32["events"], "relu_loihi_j_T32": relu_t32["energy_j"]})
            print(to_json(rows[-1], indent=None).decode(), flush=True)
    return rows


def _print_table(header: list[str], body: list[list]) -> None:
    """A markdown table, after a blank line."""
    print("\n| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for line in body:
        print("| " + " | ".join(str(cell) for cell in line) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", help="default: every zoo CNN whose data set is on this machine "
                        "(not cifar10-vgg, which needs the user's CIFAR-10 files)",
                        default=[n for n, r in zoo.ZOO.items() if not r.sequence and ":" not in r.dataset])
    parser.add_argument("--weights-dir", help="reuse NAME.safetensors from here; save newly trained ones there")
    parser.add_argument("--json")
    parser.add_argument("--levels", nargs="*", type=int, help="also the low-latency rows at these level counts")
    args = parser.parse_args()
    if args.levels:
        rows = [row for name in args.models for row in low_latency_rows(name, args.levels, args.weights_dir)]
        unsigned, signed = ([r for r in rows if r["signed"] is s] for s in (False, True))
        _print_table(["model", "L", "ReLU ANN", "quantised ANN", "SNN T=1", "T=2", "T=4", "T=L uncalibrated",
                      "events T=4", "ReLU events T=32", "Loihi J T=4", "ReLU Loihi J T=32"],
                     [[r["model"], r["levels"], f"{r['relu_ann']:.4f}", f"{r['quantised_ann']:.4f}",
                       *(f"{r['snn'][t]:.4f}" for t in "124"), f"{r['uncalibrated_snn'][str(r['levels'])]:.4f}",
                       f"{r['events_T4']:,.0f}", f"{r['relu_events_T32']:,.0f}", f"{r['loihi_j_T4']:.3e}",
                       f"{r['relu_loihi_j_T32']:.3e}"] for r in unsigned])
        print("\nSigned neurons (--signed-neurons), the same quantised models:")
        _print_table(["model", "L", "quantised ANN", "signed populations", "SNN T=1", "T=2", "T=4",
                      "T=L uncalibrated", "events T=4"],
                     [[r["model"], r["levels"], f"{r['quantised_ann']:.4f}", r["signed_populations"],
                       *(f"{r['snn'][t]:.4f}" for t in "124"), f"{r['uncalibrated_snn'][str(r['levels'])]:.4f}",
                       f"{r['events_T4']:,.0f}"] for r in signed])
        if args.json:
            write_json(args.json, rows)
        return
    rows = []
    for name in args.models:
        recipe = zoo.recipe(name)
        data = datasets.load(recipe.dataset)
        model = _model(name, args.weights_dir)
        graph = _converted(name, model, data)
        same = evaluate_graph(graph, data, timesteps=32, report_timesteps=(4, 8, 16), show_progress=False)
        piped = evaluate_graph(graph, data, timesteps=32, latency_model="pipelined", show_progress=False)
        row = {"model": name, "normalisation": recipe.conversion.normalisation,
               "torch_accuracy": zoo.accuracy(model, data.x_test, data.y_test),
               "ann_accuracy": same.ann_accuracy, "same_step": same.snn_accuracy_at,
               "pipelined_T32": piped.snn_accuracy, "pipelined_steps": piped.steps_run,
               "samples": same.samples, "synops_per_inference_T32": same.counts.per_inference()["synops"]}
        rows.append(row)
        print(to_json(row, indent=None).decode(), flush=True)
    _print_table(["model", "ANN", "SNN T=4", "T=8", "T=16", "T=32", "pipelined T=32 (steps run)", "samples"],
                 [[r["model"], f"{r['ann_accuracy']:.4f}",
                   *(f"{r['same_step'][t]:.4f}" for t in ("4", "8", "16", "32")),
                   f"{r['pipelined_T32']:.4f} ({r['pipelined_steps']})", r["samples"]] for r in rows])
    if args.json:
        write_json(args.json, rows)


if __name__ == "__main__":
    main()
