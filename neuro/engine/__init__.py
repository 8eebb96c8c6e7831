"""The engine: discrete-time, clock-driven neurons with event-driven delivery.

Semantics (written once; the Numba kernels and the NumPy reference both follow them)
------------------------------------------------------------------------------------
Time advances in steps of ``dt`` seconds, ``t = 0 .. T-1``. Within a step the
sources and populations run in the compiled order (inputs first; every same-step
projection points forward in that order):

* an **input** element with drive value ``x != 0`` at step ``t`` emits one event
  with payload ``x`` (a graded event: the analog value, or 1 for a rate-coded
  spike); a zero emits nothing;
* every neuron of a **population** integrates the input that arrived for step
  ``t`` -- ``i <- a_syn * i + w_in * arriving`` (``a_syn = 0, w_in = 1`` unless
  CubaLIF), then ``v <- a_mem * v + (1 - a_mem) * v_leak + r * (i + bias)``
  (``a_mem = 1`` for IF, ``exp(-dt / tau)`` for LIF) -- and, if
  ``v >= v_threshold``, emits an event with payload 1 and resets: by
  subtraction ``v <- v - v_threshold`` or to a value ``v <- v_reset``; a
  **signed** IF neuron that did not fire, whose ``v < 0`` and whose net count
  (positive minus negative events so far) is above 0, emits an event with
  payload -1 and sets ``v <- v + v_threshold``;
* every neuron of a **sigma-delta** population sets ``u <- u + arriving`` (or
  ``u <- arriving`` when its inputs are values, not changes), computes
  ``y = activation(u + bias)``, and if ``|y - sent| > threshold`` emits one
  graded event with payload ``y - sent`` and sets ``sent = y``; a **product**
  neuron accumulates its two factors on separate ports and does the same with
  ``y = a * b``;
* after a population has updated, its events are counted, then delivered,
  projection by projection (a max-pool gate passes an event when it raises its
  window's largest count; what follows the gate -- average pooling, flattening,
  scaling, a weight layer -- is linear in the events it passes).

An event travels only along the emitting neuron's outgoing projections
(event-driven: the cost is events x fan-out, never neurons x inputs); its payload
is multiplied by each synaptic weight on the way. A projection with delay ``d``
delivers an event emitted at step ``t`` for step ``t + d``: ``d = 0`` (the
"same-step" latency model) lets it reach later populations in the same step,
``d = 1`` per projection (the "pipelined" model) adds one step per layer.
Convolutions deliver through their shared kernel.

Counters, per sample and population: events emitted (of either sign), synaptic operations (one per
target an event's payload is added to, zero weights included, as hardware that
stores them pays for them) and neuron updates (one per neuron per step).
"""

from neuro.engine.simulate import simulate

__all__ = ["simulate"]
