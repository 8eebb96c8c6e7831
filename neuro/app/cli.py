"""The ``neuro`` command line: the composition root.

Each sub-command parses its arguments, calls the library and prints; converters
(and through them torch) are imported lazily, only by the commands that need them.
"""

from __future__ import annotations

import argparse
import os
import sys

__all__ = ["main", "build_parser"]


def _cmd_demo(args) -> int:
    from neuro.app.demo import run_demo

    return run_demo(out=args.out, quick=args.quick)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _writable_file(path, option: str = "--out") -> None:
    """Refuse an output path that cannot take a file, before any work is done."""
    from pathlib import Path

    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{option} {path} is a folder; give a file name")
    parent = next((p for p in path.parents if p.exists()), Path("."))
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise ValueError(f"{option} {path}: cannot write into {parent}")


def _cmd_train(args) -> int:
    from converters import zoo
    from neuro import datasets

    _writable_file(args.out)
    model = zoo.train(args.model, seed=args.seed, epochs=args.epochs, levels=args.levels, dataset=args.dataset,
                      log=_log)
    data = datasets.load(args.dataset or zoo.recipe(args.model).dataset)
    zoo.save_weights(model, args.out)
    print(f"{args.model}{'' if args.levels is None else f' ({args.levels} activation levels)'}: test accuracy "
          f"{zoo.accuracy(model, data.x_test, data.y_test):.4f} on {len(data.y_test)} held-out samples; weights "
          f"written to {args.out}")
    return 0


def _convert_options(args):
    """The conversion options of ``neuro convert``'s arguments."""
    from neuro.app.convert import ConvertOptions

    roles = []
    for item in args.role_threshold or ():
        role, _, value = item.partition("=")
        try:
            roles.append((role.strip(), float(value)))
        except ValueError:
            raise ValueError(f"--role-threshold takes ROLE=NUMBER, got {item!r}") from None
    return ConvertOptions(
        calibration_samples=args.calibration_samples, percentile=args.percentile, normalisation=args.normalisation,
        reset=args.reset, half_threshold_init=args.half_threshold, signed=args.signed_neurons or None,
        membrane_timesteps=args.calibrate_membranes,
        lstm=args.lstm, threshold=args.threshold, role_thresholds=tuple(roles), levels=args.levels,
        cell_levels=args.cell_levels, window=args.window,
        input_bound=args.input_bound, cell_range=args.cell_range, lstm_approximate=args.lstm_approximate)


def _cmd_convert(args) -> int:
    import numpy as np

    from converters.loading import load_model
    from neuro import datasets, io
    from neuro.app.convert import convert

    options = _convert_options(args)  # refuses bad options before a model is trained or loaded
    _writable_file(args.out)
    loaded = load_model(args.model, args.weights, log=_log)
    dataset = args.dataset or loaded.dataset
    if dataset is None:
        raise ValueError("give --dataset for the calibration data of a model outside the zoo")
    graph, summary = convert(loaded, datasets.load(dataset), options)
    io.save(graph, args.out)
    populations = len(graph.populations)
    neurons = sum(int(np.prod(graph.shapes[p])) for p in graph.populations)
    print(f"converted {loaded.name}: {populations} populations, {neurons} neurons; {summary}; wrote {args.out}")
    return 0


def _format(value) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def _neuromorphic_profile(name):
    import hardware_profiles

    profile = hardware_profiles.load(name)
    if profile.kind != "neuromorphic":
        raise ValueError(f"{name!r} is an ANN baseline; choose a chip: "
                         f"{', '.join(hardware_profiles.available('neuromorphic'))}")
    return profile


def _cmd_run(args) -> int:
    from neuro import datasets, io
    from neuro.app.bench import ann_reader
    from neuro.app.evaluate import evaluate_graph

    graph = io.load(args.network)
    dataset = args.dataset or graph.metadata.get("dataset")
    if dataset is None:
        raise ValueError(f"{args.network} does not name its data set; give --dataset")
    profile = None if args.profile is None else _neuromorphic_profile(args.profile)
    row = evaluate_graph(graph, datasets.load(dataset), timesteps=args.timesteps, latency_model=args.latency_model,
                         samples=args.samples, input_kind=args.input, readout=args.readout, seed=args.seed,
                         report_timesteps=args.report_timesteps or (), profile=profile,
                         ann_baseline=args.ann_baseline, ann_logits=ann_reader(graph)).to_row()
    row = {"network": str(args.network), "model": graph.metadata.get("model"), **row}
    print(f"{row['model'] or args.network} on {row['dataset']} ({row['samples']} held-out samples), "
          f"{row['input']} input, {row['readout']} readout; conversion: {row['conversion'].get('method', 'n/a')}"
          + (f" (threshold {row['conversion']['threshold']})" if "threshold" in row["conversion"] else "")
          + (f" ({row['conversion']['levels']} levels)" if "levels" in row["conversion"] else "")
          + (f" (K = {row['conversion']['window']} ticks per value, {row['conversion']['ticks_per_element']} per "
             "element)" if "window" in row["conversion"] else ""))
    for approximation in row["conversion"].get("approximations", []):
        print(f"  approximation: {approximation}")
    _print_membrane_calibration(row)
    print(f"  latency model: {row['latency_model']} (T={row['timesteps']}, +{row['latency_steps']} pipeline "
          f"steps = {row['steps_run']} steps run)")
    print(f"  ANN accuracy {_format(row['ann_accuracy'])}   SNN accuracy {_format(row['snn_accuracy'])}   "
          f"agreement {_format(row['agreement'])}")
    for t, accuracy in row["snn_accuracy_at"].items():
        if int(t) != row["timesteps"]:
            print(f"  SNN accuracy at T={t}: {accuracy:.4f}")
    print(f"  per inference: {row['events_per_inference']:,.0f} events (spikes + input events), "
          f"{row['synops_per_inference']:,.0f} synaptic ops, {row['neuron_updates_per_inference']:,.0f} neuron updates")
    if profile is not None:
        _print_hardware(row)
    if args.json:
        io.write_json(args.json, row)
        print(f"  wrote {args.json}")
    return 0


def _print_membrane_calibration(row) -> None:
    """Say what the initial membranes were calibrated for, and whether this run differs from it."""
    setting = row["conversion"].get("membrane_calibration")
    if not isinstance(setting, dict):
        return
    ran = {"timesteps": row["timesteps"], "input": row["input"], "latency_model": row["latency_model"]}
    differs = [f"{key} {ran[key]}" for key in ran if setting.get(key) != ran[key]]
    advice = ("; `neuro convert --calibrate-membranes T` calibrates for another T"
              if setting.get("timesteps") != ran["timesteps"] else "")
    print(f"  initial membranes calibrated for T={setting.get('timesteps')}, {setting.get('input')} input, "
          f"{setting.get('latency_model')} latency"
          + (f"; this run differs ({', '.join(differs)}){advice}" if differs else ""))


def _joules(value) -> str:
    return "n/a" if value is None else f"{value:.3e} J"


def _print_hardware(row: dict) -> None:
    print(f"  on {row['profile']}: fits {row['fits']}, {row['cores']} cores on {row['chips']} chip(s); "
          f"quantised ANN accuracy {_format(row['ann_accuracy_quantised'])}")
    for violation in row["violations"]:
        print(f"    violation: {violation}")
    for note in row["mapping_notes"]:
        print(f"    note: {note}")
    latency = row["latency_s_per_inference"]
    print(f"  energy per inference {_joules(row['energy_j_per_inference'])}, latency "
          f"{'n/a' if latency is None else f'{latency:.3e} s'}; ANN on {row['ann_baseline']}: "
          f"{_joules(row['ann_energy_j_per_inference'])}")
    parts = ", ".join(f"{k} {v:.2e}" for k, v in row["energy_components_j"].items())
    print(f"    billed: {parts or 'nothing'}")
    if row["energy_not_billed"]:
        print(f"    not billed (the profile gives no figure): {', '.join(row['energy_not_billed'])}")


def _cmd_map(args) -> int:
    from neuro import io
    from neuro.mapping import map_to_profile

    graph = io.load(args.network)
    profile = _neuromorphic_profile(args.profile)
    mapped = map_to_profile(graph, profile)
    print(f"{args.network} on {profile.display_name}: {'fits' if mapped.fits else 'does NOT fit'}")
    print(f"  {mapped.cores} cores on {mapped.chips} chip(s) (system: {profile.structure.max_chips} chips of "
          f"{profile.structure.cores_per_chip} cores, {profile.structure.neurons_per_core} neurons per core)")
    print(f"  utilisation: {mapped.utilisation['neurons_per_core']:.1%} of the used cores' neurons, "
          f"{mapped.utilisation['cores_of_chips']:.1%} of the used chips' cores")
    for name, cores in mapped.core_of.items():
        print(f"    {name}: {cores.size} neurons on {len(set(cores.tolist()))} cores")
    for violation in mapped.violations:
        print(f"  violation: {violation}")
    for note in mapped.notes:
        print(f"  note: {note}")
    if args.json:
        report = {"network": str(args.network), "profile": profile.name, "fits": mapped.fits, "cores": mapped.cores,
                  "chips": mapped.chips, "utilisation": mapped.utilisation,
                  "cores_by_population": {n: len(set(c.tolist())) for n, c in mapped.core_of.items()},
                  "violations": [vars(v) for v in mapped.violations], "notes": list(mapped.notes)}
        io.write_json(args.json, report)
    return 0


def _cmd_export(args) -> int:
    from pathlib import Path

    from neuro import io

    graph = io.load(args.network)  # refuses a damaged file before anything is written
    out = Path(args.out)
    if args.to == "nir":
        from converters.interop.nir import to_nir, write_nir

        write_nir(to_nir(graph, extensions=args.nir_extensions), out)
        print(f"{args.network} -> {out} (NIR; {len(graph.nodes)} nodes"
              f"{', neuro extensions in node and graph metadata' if args.nir_extensions else ''})")
        return 0
    from converters.interop import brian2, snntorch
    from converters.interop.scripts import export_script

    # build once here so that an unsupported network is refused before any file is written
    if args.to == "brian2":
        brian2.check_exportable(graph)
    else:
        snntorch.to_snntorch(graph)
    if out.suffix != ".py":
        raise ValueError(f"--out for --to {args.to} is a Python script: give a name ending in .py, not {out.name}")
    network = out.with_suffix(".npz")
    if network.exists() and network.resolve() != Path(args.network).resolve():
        raise ValueError(f"the script's network would be written to {network}, which exists and was not named; "
                         "choose another --out or move that file")
    io.save(graph, network)
    io.write_atomic(out, export_script(args.to, Path(args.network).name).encode())
    print(f"{args.network} -> {out} ({args.to} script) and {network} (the network it loads)")
    return 0


def _cmd_import(args) -> int:
    from converters.errors import ConversionError
    from converters.interop.nir import check_nir_dt, from_nir, read_nir
    from neuro import io

    nir_dt = None if args.nir_dt is None else check_nir_dt(args.nir_dt, name="--nir-dt")  # before reading
    nir_graph = read_nir(args.file)
    try:
        graph = from_nir(nir_graph, nir_dt=nir_dt)
    except ConversionError as error:  # from_nir knows the graph, not the file it came from
        raise ConversionError(f"{args.file}: {error}") from None
    io.save(graph, args.out)
    print(f"{args.file} -> {args.out}: {len(graph.populations)} populations, readout {graph.output!r}")
    return 0


def _cmd_profiles(args) -> int:
    import hardware_profiles

    if args.action in (None, "list"):
        for name in hardware_profiles.available():
            profile = hardware_profiles.load(name)
            print(f"{name:14s} {profile.kind:13s} {profile.display_name}")
        return 0
    if args.target is None:
        raise ValueError(f"'neuro profiles {args.action}' needs a profile name or file")
    profile = hardware_profiles.load(args.target)
    if args.action == "check":
        print(f"{args.target}: valid {profile.kind} profile {profile.name!r} "
              f"({len(profile.quantities)} sourced numbers)")
        return 0
    print(f"{profile.display_name} ({profile.name}, {profile.kind})\n  {profile.description}")
    for key, quantity in profile.quantities.items():
        print(f"  {key} = {quantity.value:g}  [{quantity.evidence}; {profile.source_of(key)}]"
              + (f"  ({quantity.note})" if quantity.note else ""))
    if profile.structure is not None:
        print(f"  weight sharing: {profile.structure.weight_sharing}; routing: {profile.structure.routing}")
        print(f"  supports: {', '.join(sorted(profile.supports))}")
    for key, quantity in profile.cross_checks.items():
        print(f"  cross-check {key} = {quantity.value:g} [{quantity.evidence}] {quantity.note}")
    for note in profile.notes:
        print(f"  note: {note}")
    return 0


def _cmd_bench(args) -> int:
    from neuro.app.bench import run_bench
    from neuro.app.report import best_text

    outcome = run_bench(args.models, args.profiles, args.timesteps, args.out, samples=args.samples,
                        latency_model=args.latency_model, ann_baseline=args.ann_baseline, workers=args.workers,
                        scheduler=args.scheduler, weights_dir=args.weights_dir, log=_log,
                        calibration=args.calibration)
    folder = outcome["folder"]
    print(f"{len(outcome['rows'])} combinations in {outcome['seconds']:.0f} s; wrote {folder / 'results.json'}, "
          f"{folder / 'report.md'} and {folder / 'report.html'}")
    print(best_text(outcome["report"].best))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from neuro.app.convert import LSTM_REALISATIONS

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
    train.add_argument("model", help="zoo name: digits-cnn, digits-cnn-bn-maxpool, digits-resnet, mnist1d-cnn, "
                                      "mnist-lenet, mnist-vgg, mnist-resnet, cifar10-vgg, digits-lstm, mnist1d-lstm")
    train.add_argument("--out", required=True, help="weights file to write (.safetensors)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--epochs", type=int, help="train this many epochs instead of the recipe's (a quick check)")
    train.add_argument("--dataset", help="train on this data set instead of the recipe's, e.g. cifar10:FOLDER "
                                         "for cifar10-vgg (default: the recipe's)")
    train.add_argument("--levels", type=int, metavar="L",
                       help="CNNs: train with quantised ReLUs of L levels (QCFS), for a spiking network that runs "
                            "T = L steps; recorded in the weights file, so convert and run need no flag")
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
    convert.add_argument("--signed-neurons", action="store_true",
                         help="hidden neurons that can send a negative spike to take an early one back: most of "
                              "the loss at T = 1-4 goes (needs a chip with negative events; recorded)")
    convert.add_argument("--calibrate-membranes", type=int, metavar="T",
                         help="tune each channel's initial membrane on the calibration data so that a T-step run's "
                              "spike counts match the ANN (potential calibration; 0: off). Default: T = L for a "
                              "network trained with --levels L, off otherwise")
    convert.add_argument("--lstm", choices=LSTM_REALISATIONS, default="graded",
                         help="LSTM realisation: graded (sigma-delta, one tick per element; default); for "
                              "chips without graded spikes, binary (--levels neurons per value, one tick per "
                              "element) or rate (bursts of --window K ticks, 5K + 2 ticks per element)")
    convert.add_argument("--threshold", type=float,
                         help="graded LSTM: send threshold (default: the model's, 0 = exact)")
    convert.add_argument("--role-threshold", action="append", metavar="ROLE=X",
                         help="graded LSTM: a different threshold for one role (input, gates, products, cell, hidden, "
                              "output); repeatable")
    convert.add_argument("--levels", type=int, default=16,
                         help="binary LSTM: neurons per unit of gate and hidden values (resolution 1/levels)")
    convert.add_argument("--cell-levels", type=int, help="binary LSTM: neurons per unit of the cell state "
                                                          "(default: --levels)")
    convert.add_argument("--window", "--ticks-per-element", type=int, default=16, metavar="K",
                         help="rate LSTM: ticks each element is held and each value's burst lasts (resolution "
                              "1/K; an element takes 5K + 2 ticks)")
    convert.add_argument("--input-bound", type=float, default=100.0,
                         help="rate LSTM: the largest |input| its integrators are sized for (larger is refused)")
    convert.add_argument("--cell-range", type=float, default=2.0,
                         help="binary and rate LSTM: the cell state is held within +-this")
    convert.add_argument("--lstm-approximate", action="store_true",
                         help="convert a smooth nn.LSTM by swapping in hard-sigmoid/hard-tanh (recorded)")
    convert.set_defaults(handler=_cmd_convert)

    run = commands.add_parser("run", help="simulate a network file on a held-out set; ANN vs SNN accuracy")
    run.add_argument("network", help="network file (.npz) from `neuro convert`")
    run.add_argument("--dataset", help="digits, mnist1d, mnist, idx:FOLDER or cifar10:FOLDER (default: the one it was "
                     "converted for)")
    run.add_argument("--timesteps", type=int, default=32)
    run.add_argument("--latency-model", choices=("same-step", "pipelined"), default="same-step")
    run.add_argument("--samples", type=int, help="first N held-out samples (default: all)")
    run.add_argument("--input", choices=("analog", "poisson"), default="analog")
    run.add_argument("--readout", choices=("count", "membrane", "value"), help="default: the network's own")
    run.add_argument("--report-timesteps", type=int, nargs="*", help="also report accuracy at these T")
    run.add_argument("--seed", type=int, default=0, help="seed of the Poisson input")
    run.add_argument("--profile", help="map onto this chip profile first: quantised accuracy, energy, latency")
    run.add_argument("--ann-baseline", default="horowitz45nm", help="ANN device to compare energy with")
    run.add_argument("--json", help="also write the figures to this JSON file")
    run.set_defaults(handler=_cmd_run)

    map_ = commands.add_parser("map", help="place a network on a chip profile: cores, chips, utilisation, violations")
    map_.add_argument("network")
    map_.add_argument("--profile", required=True)
    map_.add_argument("--json", help="also write the fit report to this JSON file")
    map_.set_defaults(handler=_cmd_map)

    bench = commands.add_parser("bench", help="sweep models x profiles x timesteps into an accuracy-vs-energy report")
    bench.add_argument("--models", nargs="+", required=True, help="zoo names or network files (.npz)")
    bench.add_argument("--profiles", nargs="+", required=True, help="neuromorphic profile names")
    bench.add_argument("--timesteps", nargs="+", type=int, required=True)
    bench.add_argument("--out", required=True, help="folder for results.json, report.md, report.html, plots")
    bench.add_argument("--samples", type=int, help="first N held-out samples (default: all)")
    bench.add_argument("--latency-model", choices=("same-step", "pipelined"), default="same-step")
    bench.add_argument("--ann-baseline", default="horowitz45nm")
    bench.add_argument("--workers", type=int, help="local processes (default: all cores)")
    bench.add_argument("--scheduler", help="Dask scheduler address: run the sweep on that cluster")
    bench.add_argument("--weights-dir", help="reuse NAME.safetensors from here (saved there after training)")
    bench.add_argument("--calibration", help="JSON of benchmarks/silicon_calibration.py: the report lists each "
                                             "chip's held-out gap")
    bench.set_defaults(handler=_cmd_bench)

    export = commands.add_parser("export", help="write a network for Brian2, snntorch or NIR tools")
    export.add_argument("network", help="network file (.npz)")
    export.add_argument("--to", required=True, choices=("brian2", "snntorch", "nir"))
    export.add_argument("--out", required=True, help="FILE.nir for nir; FILE.py (plus FILE.npz) for brian2/snntorch")
    export.add_argument("--nir-extensions", action="store_true",
                        help="record reset by subtraction and initial membranes in NIR node metadata "
                             "(read back by neuro; other NIR tools ignore them)")
    export.set_defaults(handler=_cmd_export)

    import_ = commands.add_parser("import", help="read a NIR file into a network file")
    import_.add_argument("file", help="FILE.nir")
    import_.add_argument("--out", required=True, help="network file to write (.npz)")
    import_.add_argument("--nir-dt", type=float,
                         help="the step the NIR file's author assumed (default: as recorded, else 1e-4 s)")
    import_.set_defaults(handler=_cmd_import)

    profiles = commands.add_parser("profiles", help="list, show or check hardware profiles")
    profiles.add_argument("action", nargs="?", choices=("list", "show", "check"))
    profiles.add_argument("target", nargs="?", help="profile name (show) or TOML file (check)")
    profiles.set_defaults(handler=_cmd_profiles)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except (ValueError, FileNotFoundError, OSError) as error:
        print(f"neuro {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: the user knows where they were; a traceback would bury that
        print(f"neuro {args.command}: interrupted", file=sys.stderr)
        return 130  # 128 + SIGINT, as shells report it


if __name__ == "__main__":
    sys.exit(main())
