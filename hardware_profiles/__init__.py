"""Neuromorphic chip profiles as data (TOML, every number with its source).

A leaf package: it imports nothing from ``neuro``.
"""

__all__: list[str] = []
