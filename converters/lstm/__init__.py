"""LSTM conversion in three realisations, one module each.

* :mod:`converters.lstm.graded`: sigma-delta neurons and product units, one tick
  per element, exact at send threshold 0 (chips with graded spikes).
* :mod:`converters.lstm.binary`: every value a row of K binary threshold units
  (a unary code), one tick per element (binary-spike chips).
* :mod:`converters.lstm.rate`: every value a burst of up to K spikes, 5K + 2
  ticks per element (binary-spike chips, IF and LIF neurons only).

:mod:`converters.lstm.unary` holds what the binary and rate forms share.
"""

from converters.lstm.graded import PWLLSTM, ROLES, LSTMConfig, SequenceClassifier, from_lstm, hard_sigmoid, hard_tanh

__all__ = ["PWLLSTM", "ROLES", "LSTMConfig", "SequenceClassifier", "from_lstm", "hard_sigmoid", "hard_tanh"]
