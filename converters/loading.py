"""Find the model a user names on the command line, and its weights.

``MODEL`` is a zoo name (trained now with its seeded recipe unless a weights
file is given) or ``package.module:callable`` returning an ``nn.Module``, with a
weights file: safetensors, or a torch state dict read with ``weights_only=True``
(never unpickling code).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from converters import zoo
from converters.config import ConversionConfig

__all__ = ["LoadedModel", "load_model"]


@dataclass(frozen=True, eq=False)
class LoadedModel:
    model: nn.Module
    name: str
    dataset: str | None
    conversion: ConversionConfig
    default_threshold: float = 0.0


def _load_state(model: nn.Module | str, weights) -> nn.Module:
    """Weights into ``model`` (or into a zoo model of that name, built as its safetensors metadata says)."""
    path = Path(weights)
    if not path.is_file():
        raise FileNotFoundError(f"weights file {path} does not exist")
    if path.suffix == ".safetensors":
        return zoo.load_weights(model, path)
    if isinstance(model, str):
        model = zoo.build(model)
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises UnpicklingError, RuntimeError, ... for bad files
        raise ValueError(f"{path}: not a state dict loadable with weights_only=True ({error})") from None
    if not isinstance(state, dict):
        raise ValueError(f"{path}: holds a {type(state).__name__}, expected a state dict")
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as error:
        raise ValueError(f"{path}: weights do not fit {type(model).__name__}: {error}") from None
    return model.eval()


def load_model(spec: str, weights=None, *, log: Callable[[str], None] | None = None) -> LoadedModel:
    """Resolve a zoo name or ``package.module:callable`` into a model with weights."""
    if spec in zoo.ZOO:
        recipe = zoo.recipe(spec)
        if weights is None:
            if log:
                log(f"training {spec} with its seeded recipe (no weights file given)")
            model = zoo.train(spec, log=log)
        else:
            model = _load_state(spec, weights)
        return LoadedModel(model, spec, recipe.dataset, recipe.conversion, recipe.default_threshold)
    if ":" not in spec:
        raise ValueError(f"unknown model {spec!r}: give a zoo name ({', '.join(zoo.ZOO)}) or package.module:callable")
    module_name, _, attribute = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise ValueError(f"cannot import {spec!r}: {error}") from None
    except Exception as error:  # the user's module failed while it was imported: say so, in one line
        raise ValueError(f"importing {module_name!r} for {spec!r} failed: {type(error).__name__}: {error}") from None
    if not callable(factory):
        raise ValueError(f"{spec} is a {type(factory).__name__}, not a callable returning an nn.Module")
    try:
        model = factory()
    except Exception as error:  # the user's code: which callable failed and why, not its traceback
        raise ValueError(f"calling {spec}() failed: {type(error).__name__}: {error}") from None
    if not isinstance(model, nn.Module):
        raise ValueError(f"{spec} returned {type(model).__name__}, not a torch.nn.Module")
    if weights is None:
        raise ValueError(f"{spec}: give the trained weights with --weights FILE")
    return LoadedModel(_load_state(model, weights), spec, None, ConversionConfig())
