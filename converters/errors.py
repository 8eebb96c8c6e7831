"""Errors of conversion: what failed, where in the model, and what to do instead."""

from __future__ import annotations

__all__ = ["ConversionError", "UnsupportedLayer"]


class ConversionError(ValueError):
    """The model cannot be converted as it stands; the message says why and what to change."""


class UnsupportedLayer(ConversionError):
    """A module or function with no spiking rule.

    Attributes
    ----------
    path
        The module's path in the model (``"features.3"``) or the traced node's name.
    kind
        The module type or function name.
    advice
        What to use instead.
    """

    def __init__(self, path: str, kind: str, advice: str):
        self.path, self.kind, self.advice = path, kind, advice
        super().__init__(f"cannot convert {kind} at '{path}': {advice}")
