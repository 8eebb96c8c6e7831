"""How long to train a zoo CNN for few activation levels, chosen on validation data.

    python benchmarks/level_epochs.py [--models ...] [--levels L] [--json FILE]

With two levels (``neuro train MODEL --levels 2``) the straight-through gradient is
coarse, and a recipe's schedule, tuned for ReLU, may end before the network has
adapted. For each model this trains, on 80 % of the training split (a seeded draw),
the ReLU network and the quantised one at the recipe's epochs and at twice them, and
reads their accuracies on the other 20 %: the held-out test set is never looked at.
The quantised run with the higher validation accuracy wins; a tie keeps the recipe's
epochs. ``benchmarks/conversion_accuracy.py`` trains its L = 2 models with the
winners (``TWO_LEVEL_EPOCHS`` there).
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np

from converters import zoo
from neuro import datasets
from neuro.io import to_json, write_json

VALIDATION_SHARE = 0.2
SPLIT_SEED = 123


def validation_split(data: datasets.Dataset) -> datasets.Dataset:
    """The training split cut in two: training and (as ``x_test``/``y_test``) validation."""
    order = np.random.default_rng(SPLIT_SEED).permutation(len(data.x_train))
    cut = int(round(len(order) * (1 - VALIDATION_SHARE)))
    train, valid = order[:cut], order[cut:]
    return dataclasses.replace(data, x_train=data.x_train[train], y_train=data.y_train[train],
                               x_test=data.x_train[valid], y_test=data.y_train[valid])


def choose(name: str, levels: int) -> dict:
    """Validation accuracies of the ReLU model and the quantised one at 1x and 2x the epochs, and the choice."""
    split = validation_split(datasets.load(zoo.recipe(name).dataset))
    epochs = zoo.recipe(name).epochs
    row = {"model": name, "levels": levels, "recipe_epochs": epochs, "validation_samples": len(split.y_test)}
    start = time.perf_counter()
    for key, train_levels, train_epochs in (("relu", None, epochs), ("quantised_1x", levels, epochs),
                                            ("quantised_2x", levels, 2 * epochs)):
        model = zoo.train(name, levels=train_levels, epochs=train_epochs, dataset=split)
        row[key] = zoo.accuracy(model, split.x_test, split.y_test)
    row["chosen_epochs"] = 2 * epochs if row["quantised_2x"] > row["quantised_1x"] else epochs
    row["seconds"] = round(time.perf_counter() - start, 1)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", default=[n for n, r in zoo.ZOO.items()
                                                        if not r.sequence and ":" not in r.dataset])
    parser.add_argument("--levels", type=int, default=2)
    parser.add_argument("--json")
    args = parser.parse_args()
    rows = []
    for name in args.models:
        rows.append(choose(name, args.levels))
        print(to_json(rows[-1], indent=None).decode(), flush=True)
    print("\n| model | recipe epochs | validation samples | ReLU | L at 1x epochs | L at 2x | chosen epochs |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['recipe_epochs']} | {r['validation_samples']} | {r['relu']:.4f} | "
              f"{r['quantised_1x']:.4f} | {r['quantised_2x']:.4f} | {r['chosen_epochs']} |")
    if args.json:
        write_json(args.json, rows)


if __name__ == "__main__":
    main()
