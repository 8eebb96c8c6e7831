"""The torch-facing side: PyTorch models (and other simulators' formats) to the neuro IR.

Converters emit :class:`neuro.ir.Graph` values and never run the engine. The
adapters to other simulators -- Brian2, snntorch, NIR -- translate graphs both
ways; running the result is the other simulator's job.
"""

from converters.cnn import from_torch
from converters.config import ConversionConfig
from converters.errors import ConversionError, UnsupportedLayer
from converters.lstm.graded import PWLLSTM, LSTMConfig, SequenceClassifier, from_lstm
from converters.quantised import QuantisedReLU

__all__ = ["from_torch", "from_lstm", "QuantisedReLU", "ConversionConfig", "LSTMConfig", "PWLLSTM",
           "SequenceClassifier", "ConversionError", "UnsupportedLayer", "to_brian2", "run_brian2", "to_snntorch",
           "from_snntorch", "to_nir", "from_nir"]

# The simulator adapters import Brian2, snntorch or nir; load them only when asked for.
_ADAPTERS = {"to_brian2": "brian2", "run_brian2": "brian2", "to_snntorch": "snntorch",
             "from_snntorch": "snntorch", "to_nir": "nir", "from_nir": "nir"}


def __getattr__(name: str):
    if name in _ADAPTERS:
        import importlib

        return getattr(importlib.import_module(f"converters.interop.{_ADAPTERS[name]}"), name)
    raise AttributeError(f"module 'converters' has no attribute {name!r}")
