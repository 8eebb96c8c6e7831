"""The ``neuro`` command line: the composition root.

Each sub-command parses its arguments, calls the library and prints; converters
(and through them torch) are imported lazily, only by the commands that need them.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["main", "build_parser"]


def _cmd_demo(args) -> int:
    from neuro.demo import run_demo

    return run_demo(out=args.out, quick=args.quick)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _cmd_train(args) -> int:
    from converters import zoo
    from neuro import datasets

    model = zoo.train(args.model, seed=args.seed, log=_log)
    data = datasets.load(zoo.recipe(args.model).dataset)
    zoo.save_weights(model, args.out)
    print(f"{args.model}: test accuracy {zoo.accuracy(model, data.x_test, data.y_test):.4f} "
          f"on {len(data.y_test)} held-out samples; weights written to {args.out}")
    return 0


def _cmd_convert(args) -> int:
    import dataclasses

    from converters import from_torch
    from converters.loading import load_model
    from neuro import datasets, io

    loaded = load_model(args.model, args.weights, log=_log)
    dataset = args.dataset or loaded.dataset
    if dataset is None:
        raise ValueError("give --dataset for the calibration data of a model outside the zoo")
    data = datasets.load(dataset)
    overrides = {k: v for k, v in (("percentile", args.percentile), ("normalisation", args.normalisation),
                                   ("reset", args.reset), ("half_threshold_init", args.half_threshold))
                 if v is not None}
    config = dataclasses.replace(loaded.conversion, **overrides)
    calibration = data.x_train[:args.calibration_samples]
    graph = from_torch(loaded.model, calibration, config)
    graph = type(graph)(nodes=graph.nodes, edges=graph.edges,
                        metadata={**graph.metadata, "model": loaded.name, "dataset": data.name,
                                  "calibration_samples": int(len(calibration))})
    io.save(graph, args.out)
    populations = len(graph.populations)
    neurons = sum(int(graph.nodes[p].v_threshold.size) for p in graph.populations)
    print(f"converted {loaded.name}: {populations} populations, {neurons} neurons; "
          f"percentile {config.percentile} per {config.normalisation}, reset by {config.reset}, "
          f"half-threshold start {config.half_threshold_init}; wrote {args.out}")
    return 0


def _format(value) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def _cmd_run(args) -> int:
    import json

    from neuro import datasets, io
    from neuro.evaluate import evaluate_graph

    graph = io.load(args.network)
    dataset = args.dataset or graph.metadata.get("dataset")
    if dataset is None:
        raise ValueError(f"{args.network} does not name its data set; give --dataset")
    row = evaluate_graph(graph, datasets.load(dataset), timesteps=args.timesteps, latency_model=args.latency_model,
                         samples=args.samples, input_kind=args.input, readout=args.readout, seed=args.seed,
                         report_timesteps=args.report_timesteps or ())
    row = {"network": str(args.network), "model": graph.metadata.get("model"), **row}
    print(f"{row['model'] or args.network} on {row['dataset']} ({row['samples']} held-out samples), "
          f"{row['input']} input, {row['readout']} readout")
    print(f"  latency model: {row['latency_model']} (T={row['timesteps']}, +{row['latency_steps']} pipeline "
          f"steps = {row['steps_run']} steps run)")
    print(f"  ANN accuracy {_format(row['ann_accuracy'])}   SNN accuracy {_format(row['snn_accuracy'])}   "
          f"agreement {_format(row['agreement'])}")
    for t, accuracy in row["snn_accuracy_at"].items():
        if int(t) != args.timesteps:
            print(f"  SNN accuracy at T={t}: {accuracy:.4f}")
    print(f"  per inference: {row['events_per_inference']:,.0f} events (spikes + input events), "
          f"{row['synops_per_inference']:,.0f} synaptic ops, {row['neuron_updates_per_inference']:,.0f} neuron updates")
    if args.json:
        io.write_atomic(args.json, json.dumps(row, indent=2).encode())
        print(f"  wrote {args.json}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neuro",
        description="Convert trained PyTorch networks to spiking networks, simulate them "
                    "event-driven on neuromorphic chip profiles, and report accuracy against energy.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser("demo", help="run the end-to-end demonstration (what `make demo` runs)")
    demo.add_argument("--out", default="reports/demo", help="folder for the demo's outputs")
    demo.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke test")
    demo.set_defaults(handler=_cmd_demo)

    train = commands.add_parser("train", help="train a zoo model with its seeded recipe and save its weights")
    train.add_argument("model", help="zoo name: digits-cnn, digits-cnn-bn-maxpool, digits-resnet, mnist1d-cnn")
    train.add_argument("--out", required=True, help="weights file to write (.safetensors)")
    train.add_argument("--seed", type=int, default=0)
    train.set_defaults(handler=_cmd_train)

    convert = commands.add_parser("convert", help="convert a trained PyTorch CNN into a spiking network file")
    convert.add_argument("model", help="zoo name, or package.module:callable returning an nn.Module")
    convert.add_argument("--weights", help="trained weights (.safetensors, or a state dict .pt); "
                                           "a zoo model without one is trained first")
    convert.add_argument("--out", required=True, help="network file to write (.npz)")
    convert.add_argument("--dataset", help="calibration data (default: the zoo model's data set)")
    convert.add_argument("--calibration-samples", type=int, default=500)
    convert.add_argument("--percentile", type=float, help="activation percentile for thresholds (default 99.9)")
    convert.add_argument("--normalisation", choices=("layer", "channel"))
    convert.add_argument("--reset", choices=("subtract", "value"))
    convert.add_argument("--half-threshold", action=argparse.BooleanOptionalAction, default=None,
                         help="start membranes at half threshold (default on)")
    convert.set_defaults(handler=_cmd_convert)

    run = commands.add_parser("run", help="simulate a network file on a held-out set; ANN vs SNN accuracy")
    run.add_argument("network", help="network file (.npz) from `neuro convert`")
    run.add_argument("--dataset", help="digits, mnist1d, or idx:FOLDER (default: the one it was converted for)")
    run.add_argument("--timesteps", type=int, default=32)
    run.add_argument("--latency-model", choices=("same-step", "pipelined"), default="same-step")
    run.add_argument("--samples", type=int, help="first N held-out samples (default: all)")
    run.add_argument("--input", choices=("analog", "poisson"), default="analog")
    run.add_argument("--readout", choices=("count", "membrane"), help="default: the network's own")
    run.add_argument("--report-timesteps", type=int, nargs="*", help="also report accuracy at these T")
    run.add_argument("--seed", type=int, default=0, help="seed of the Poisson input")
    run.add_argument("--json", help="also write the figures to this JSON file")
    run.set_defaults(handler=_cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except (ValueError, FileNotFoundError) as error:
        print(f"neuro {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
