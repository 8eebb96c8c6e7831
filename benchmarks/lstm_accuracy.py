"""Accuracy of the zoo LSTMs after conversion, graded (sigma-delta), binary and rate-coded: the LSTM issue's table.

    python benchmarks/lstm_accuracy.py [--models ...] [--weights-dir DIR] [--json FILE] [--levels K ...]
                                       [--windows K ...]

Each LSTM is trained with its seeded recipe (or loaded from DIR/NAME.safetensors)
and converted at several send thresholds (graded), numbers of levels (binary) and
windows of K ticks (rate-coded); the whole held-out test set runs, at one tick per
sequence element (graded, binary) or 5K + 2 (rate-coded). Reported: the
ANN's accuracy (torch), the SNN's, the fraction of samples where both predict the
same class, and events and synaptic operations per sequence relative to the graded
network at threshold 0.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

import neuro
from converters import LSTMConfig, from_lstm, zoo
from converters.lstm.binary import BinaryLSTMConfig, from_lstm_binary
from converters.lstm.rate import RateLSTMConfig, from_lstm_rate
from neuro import datasets, encode
from neuro.io import to_json, write_json

THRESHOLDS = (0.0, 0.02, 0.05, 0.06, 0.07, 0.08, 0.1, 0.12, 0.15, 0.2)
LEVELS = (4, 8, 16)
WINDOWS = (4, 8, 16)
CONVERTERS = {LSTMConfig: from_lstm, BinaryLSTMConfig: from_lstm_binary, RateLSTMConfig: from_lstm_rate}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", default=["digits-lstm", "mnist1d-lstm"])
    parser.add_argument("--weights-dir")
    parser.add_argument("--json")
    parser.add_argument("--levels", type=int, nargs="*", default=list(LEVELS), help="binary realisations to run")
    parser.add_argument("--windows", type=int, nargs="*", default=list(WINDOWS), help="rate-coded realisations to run")
    args = parser.parse_args()
    rows = []
    for name in args.models:
        path = Path(args.weights_dir) / f"{name}.safetensors" if args.weights_dir else None
        model = zoo.load_weights(name, path) if path is not None and path.is_file() else zoo.train(name)
        if path is not None and not path.is_file():
            zoo.save_weights(model, path)
        data = datasets.load(zoo.recipe(name).dataset)
        x = datasets.as_sequence(data.x_test)
        with torch.no_grad():
            ann = model(torch.as_tensor(x, dtype=torch.float32)).numpy().argmax(1)
        base = None
        settings = [("graded", f"threshold {t}", LSTMConfig(threshold=t)) for t in THRESHOLDS]
        settings += [("binary", f"{k} levels", BinaryLSTMConfig(levels=k, cell_levels=k)) for k in args.levels]
        settings += [("rate", f"K = {k} ticks", RateLSTMConfig(window=k)) for k in args.windows]
        for realisation, setting, config in settings:
            # one network at a time: a binary one at 16 levels has millions of synapses
            graph = CONVERTERS[type(config)](model, config)
            conversion = graph.metadata["conversion"]
            steps = encode.sequence_steps(conversion, x.shape[1])
            result = neuro.simulate(neuro.compile_network(graph), encode.sequence_for(conversion, x), timesteps=steps)
            snn = encode.predictions(result, readout="value")
            counts = result.counters.per_inference()
            base = base or counts  # the graded network at threshold 0 runs first
            row = {"model": name, "realisation": realisation, "setting": setting, "samples": len(x),
                   "conversion": graph.metadata["conversion"],
                   "ann_accuracy": float((ann == data.y_test).mean()),
                   "snn_accuracy": float((snn == data.y_test).mean()), "agreement": float((snn == ann).mean()),
                   "events_per_sequence": counts["events"], "events_vs_threshold_0": counts["events"] / base["events"],
                   "synops_per_sequence": counts["synops"], "synops_vs_threshold_0": counts["synops"] / base["synops"],
                   "ticks": steps}
            rows.append(row)
            print(to_json(row, indent=None).decode(), flush=True)
    print("\n| model | realisation | ANN | SNN | agreement | events/seq (vs graded θ=0) | synops/seq (vs graded θ=0) "
          "| ticks |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['realisation']}, {r['setting']} | {r['ann_accuracy']:.4f} | "
              f"{r['snn_accuracy']:.4f} | {r['agreement']:.4f} | "
              f"{r['events_per_sequence']:,.0f} ({r['events_vs_threshold_0']:.2f}) | "
              f"{r['synops_per_sequence']:,.0f} ({r['synops_vs_threshold_0']:.2f}) | {r['ticks']} |")
    if args.json:
        write_json(args.json, rows)


if __name__ == "__main__":
    np.set_printoptions(precision=4)
    main()
