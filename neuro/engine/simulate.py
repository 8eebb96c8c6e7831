"""Public entry of the engine: validate, allocate, run a kernel, wrap the result."""

from __future__ import annotations

import numpy as np

from neuro.compile import CompiledNetwork
from neuro.ir import GRADED_TYPES
from neuro.limits import check_allocation
from neuro.results import Counters, SimResult

__all__ = ["simulate", "check_drive"]

KERNELS = ("numba", "reference")


def check_drive(network: CompiledNetwork, drive, timesteps: int) -> np.ndarray:
    """Validate a drive array ``(batch, steps, n_inputs)`` with steps 1 or T."""
    if not isinstance(timesteps, int | np.integer) or isinstance(timesteps, bool) or timesteps < 1:
        raise ValueError(f"timesteps must be a positive integer, got {timesteps!r}")
    drive = np.asarray(drive, dtype=np.float64)
    if drive.ndim != 3:
        raise ValueError(
            f"drive must have shape (batch, steps, {network.n_inputs}); got {drive.shape}. "
            "Build it with neuro.encode.constant(x) or neuro.encode.poisson(x, timesteps, rng)."
        )
    if drive.shape[2] != network.n_inputs:
        raise ValueError(f"drive has {drive.shape[2]} input columns, the network has {network.n_inputs}")
    if drive.shape[1] not in (1, timesteps):
        raise ValueError(f"drive has {drive.shape[1]} steps; expected 1 (constant) or {timesteps}")
    if drive.shape[0] < 1:
        raise ValueError("drive has an empty batch")
    if not np.all(np.isfinite(drive)):
        raise ValueError("drive contains NaN or infinite values")
    return np.ascontiguousarray(drive)


def simulate(network: CompiledNetwork, drive, *, timesteps: int, kernel: str = "numba",
             threads: int | None = None, record_output: bool = True) -> SimResult:
    """Run a batch through the network for ``timesteps`` steps.

    Parameters
    ----------
    network
        From :func:`neuro.compile_network`.
    drive
        ``(batch, steps, n_inputs)`` with ``steps`` 1 (held constant) or
        ``timesteps``; see :mod:`neuro.encode`.
    timesteps
        Number of steps ``T``.
    kernel
        ``"numba"`` (event-driven, samples in parallel) or ``"reference"``
        (dense NumPy, slow: the oracle).
    threads
        Numba threads for the batch; default all cores.
    record_output
        Keep the output population's spikes and membrane at every step (what the
        readouts use). ``False`` keeps only the spike counts and counters, as a
        spike-counting monitor in another simulator would: the result's per-step
        arrays then have no columns.
    """
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {KERNELS}, got {kernel!r}")
    drive = check_drive(network, drive, timesteps)
    out = network.slice_of(network.graph.output) if record_output else slice(0, 0)
    n_out = out.stop - out.start
    check_allocation(f"recording {n_out} output neurons over {timesteps} steps for {drive.shape[0]} samples",
                     drive.shape[0] * int(timesteps) * n_out * 12.0, "lower the timesteps or the batch")
    batch = drive.shape[0]
    if kernel == "numba":
        import numba

        previous = numba.get_num_threads()
        wanted = previous if threads is None else max(1, min(int(threads), numba.config.NUMBA_NUM_THREADS))
    # each sample being run holds a delay ring of (longest delay + 1) x 2 slots per neuron (float64); the
    # Numba kernel runs as many samples at once as it has threads, the oracle one
    at_once = min(batch, wanted) if kernel == "numba" else 1
    check_allocation(f"the delay ring of a network whose longest synaptic delay is {network.max_delay} steps",
                     (network.max_delay + 1) * 2 * network.n_neurons * 8.0 * at_once, "shorten the synaptic delays")
    n_pops = len(network.names)
    spike_counts = np.zeros((batch, network.n_neurons), np.int64)
    counters = np.zeros((batch, n_pops, 3), np.int64)
    out_steps = np.zeros((batch, timesteps, n_out), np.int32)
    out_v = np.zeros((batch, timesteps, n_out))
    if kernel == "numba":
        from neuro.engine.kernels import run_batch, run_serial

        # one sample or one thread: the serial entry (the same kernel without the parallel launch, and a
        # first compilation in half the time where the cache is empty)
        run = run_serial if batch == 1 or wanted == 1 else run_batch
        if wanted != previous:
            numba.set_num_threads(wanted)
        # the kernel keeps some populations channels-last; results are in natural order: the kernel
        # records the output neuron stored at offset k in column out_column[k]
        out_column = np.empty(n_out, np.int64)
        out_column[network.stored_index[out] - out.start] = np.arange(n_out)
        try:
            run(drive, network.populations, network.neurons, network.projections,
                network.max_delay + 1, network.gate_windows, out.start, out.stop, out_column,
                isinstance(network.graph.nodes[network.graph.output], GRADED_TYPES), spike_counts, counters,
                out_steps, out_v)
        finally:
            if wanted != previous:
                numba.set_num_threads(previous)
        spike_counts = spike_counts[:, network.stored_index]
    else:
        from neuro.engine.reference import run_reference

        run_reference(network, drive, timesteps, spike_counts, counters, out_steps, out_v)
    return SimResult(
        output=network.graph.output, timesteps=int(timesteps), latency_model=network.latency_model,
        dt=network.dt, spike_counts=spike_counts, output_steps=out_steps, output_v_steps=out_v,
        output_threshold=network.neurons.v_threshold[network.stored_index[out]],
        counters=Counters(names=network.names, events=counters[:, :, 0],
                          synops=counters[:, :, 1], neuron_updates=counters[:, :, 2]),
        slices=dict(network.slices),
    )
