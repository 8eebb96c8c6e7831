"""Accuracy of the zoo CNNs after conversion: the table of the CNN-conversion issue.

    python benchmarks/conversion_accuracy.py [--models ...] [--weights-dir DIR] [--json FILE]

Each model is trained with its seeded recipe (or loaded from DIR/NAME.safetensors
when present), converted with its default configuration, and simulated on the
whole held-out test set with analog input: the same-step latency model at
T = 4, 8, 16, 32 (one run, read out at each T) and the pipelined model at
T = 32 (+ the network's depth in steps).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from converters import from_torch, zoo
from neuro import datasets
from neuro.app.evaluate import evaluate_graph
from neuro.io import to_json, write_json


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", default=[n for n, r in zoo.ZOO.items() if not r.sequence])
    parser.add_argument("--weights-dir", help="reuse NAME.safetensors from here; save newly trained ones there")
    parser.add_argument("--json")
    args = parser.parse_args()
    rows = []
    for name in args.models:
        recipe = zoo.recipe(name)
        data = datasets.load(recipe.dataset)
        path = Path(args.weights_dir) / f"{name}.safetensors" if args.weights_dir else None
        if path is not None and path.is_file():
            model = zoo.load_weights(name, path)
        else:
            model = zoo.train(name)
            if path is not None:
                zoo.save_weights(model, path)
        graph = from_torch(model, data.x_train[:500], recipe.conversion)
        same = evaluate_graph(graph, data, timesteps=32, report_timesteps=(4, 8, 16), show_progress=False)
        piped = evaluate_graph(graph, data, timesteps=32, latency_model="pipelined", show_progress=False)
        row = {"model": name, "normalisation": recipe.conversion.normalisation,
               "torch_accuracy": zoo.accuracy(model, data.x_test, data.y_test),
               "ann_accuracy": same["ann_accuracy"], "same_step": same["snn_accuracy_at"],
               "pipelined_T32": piped["snn_accuracy"], "pipelined_steps": piped["steps_run"],
               "samples": same["samples"], "synops_per_inference_T32": same["synops_per_inference"]}
        rows.append(row)
        print(to_json(row, indent=None).decode(), flush=True)
    print("\n| model | ANN | SNN T=4 | T=8 | T=16 | T=32 | pipelined T=32 (steps run) | samples |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        s = r["same_step"]
        print(f"| {r['model']} | {r['ann_accuracy']:.4f} | {s['4']:.4f} | {s['8']:.4f} | {s['16']:.4f} | "
              f"{s['32']:.4f} | {r['pipelined_T32']:.4f} ({r['pipelined_steps']}) | {r['samples']} |")
    if args.json:
        write_json(args.json, rows)


if __name__ == "__main__":
    main()
