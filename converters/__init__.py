"""The torch-facing side: PyTorch models (and other simulators' formats) to the neuro IR.

Converters emit :class:`neuro.ir.Graph` values and never run the engine.
"""

from converters.cnn import from_torch
from converters.config import ConversionConfig
from converters.errors import ConversionError, UnsupportedLayer
from converters.lstm import PWLLSTM, LSTMConfig, SequenceClassifier, from_lstm

__all__ = ["from_torch", "from_lstm", "ConversionConfig", "LSTMConfig", "PWLLSTM", "SequenceClassifier",
           "ConversionError", "UnsupportedLayer"]
