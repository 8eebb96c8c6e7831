"""The torch-facing side: PyTorch models (and other simulators' formats) to the neuro IR.

Converters emit :class:`neuro.ir.Graph` values and never run the engine.
"""

from converters.cnn import from_torch
from converters.config import ConversionConfig
from converters.errors import ConversionError, UnsupportedLayer

__all__ = ["from_torch", "ConversionConfig", "ConversionError", "UnsupportedLayer"]
