"""Neuromorphic chip profiles as data (TOML, every number with its source).

A leaf package: it imports nothing from ``neuro``. ``load("loihi")`` reads a
shipped profile, ``load("path/to/mine.toml")`` a user's own; ``available()``
lists the shipped ones. See ``profile.py`` for the schema.
"""

from __future__ import annotations

from pathlib import Path

from hardware_profiles.energy import EnergyBreakdown, ann_energy, estimate
from hardware_profiles.profile import CostModel, HardwareProfile, ProfileError, Quantity, Structure, load_file, parse

__all__ = ["load", "available", "parse", "HardwareProfile", "Structure", "CostModel", "Quantity", "ProfileError",
           "estimate", "ann_energy", "EnergyBreakdown", "PROFILE_DIR"]

PROFILE_DIR = Path(__file__).parent


def available(kind: str | None = None) -> tuple[str, ...]:
    """Names of the shipped profiles (``kind``: "neuromorphic" or "ann" to filter)."""
    names = sorted(p.stem for p in PROFILE_DIR.glob("*.toml"))
    if kind is None:
        return tuple(names)
    return tuple(n for n in names if load(n).kind == kind)


def load(name_or_path) -> HardwareProfile:
    """A shipped profile by name, or a profile file by path."""
    text = str(name_or_path)
    if text.endswith(".toml") or "/" in text:
        return load_file(text)
    path = PROFILE_DIR / f"{text}.toml"
    if not path.is_file():
        raise ProfileError(f"unknown profile {text!r}; shipped profiles: {', '.join(available())} "
                           "(or give a path to a .toml file)")
    return load_file(path)
