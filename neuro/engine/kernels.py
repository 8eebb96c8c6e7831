"""Numba kernels of the engine: arrays in, arrays out, nothing from ``neuro``.

The semantics are those written in ``neuro/engine/__init__.py``; the table
layout is that of ``neuro.compile``, with the integer codes of ``neuro.table_codes``.
Private: call :func:`neuro.engine.simulate`, which validates and allocates.
"""

import numpy as np
from numba import njit, prange

from neuro.table_codes import (
    CORE_CONV,
    CORE_DENSE,
    CORE_IDENTITY,
    KIND_INPUT,
    KIND_NEURON,
    KIND_PRODUCT,
)

ROWS_PER_PASS = 8  # dense rows added in one pass over the targets (_add_rows8)


@njit(cache=True, inline="always")
def _activate(code, z):
    """The activations of neuro.ir.ACTIVATIONS, in that order."""
    if code == 0:
        return z
    if code == 1:
        return max(z, 0.0)
    if code == 2:
        return min(max(0.25 * z + 0.5, 0.0), 1.0)
    return min(max(z, -1.0), 1.0)


@njit(cache=True, inline="always")
def _integrate(arriving, current, v, a_syn, w_in, a_mem, leak, r, bias):
    """One step of a binary population's neurons (1-D views), with the spike test left out.

    Branch-free, so LLVM vectorises it; the threshold test runs as a second pass.
    """
    for i in range(v.shape[0]):
        current[i] = a_syn[i] * current[i] + w_in[i] * arriving[i]
        arriving[i] = 0.0
        v[i] = a_mem[i] * v[i] + leak[i] + r[i] * (current[i] + bias[i])


@njit(cache=True, inline="always")
def _integrate_uniform(arriving, current, v, a_syn, w_in, a_mem, leak, r, bias):
    """:func:`_integrate` for a population whose constants are the same for every neuron:
    scalars instead of five parameter streams (the same arithmetic, in the same order)."""
    a_syn0, w_in0, a_mem0, leak0, r0 = a_syn[0], w_in[0], a_mem[0], leak[0], r[0]
    for i in range(v.shape[0]):
        current[i] = a_syn0 * current[i] + w_in0 * arriving[i]
        arriving[i] = 0.0
        v[i] = a_mem0 * v[i] + leak0 + r0 * (current[i] + bias[i])


@njit(cache=True, inline="always")
def _spike(v, v_threshold, subtract, v_reset, start, stop, fired):
    """The spike test of a binary population: fire, reset, and list the emitters in ``fired``."""
    n_fired = 0
    for i in range(start, stop):
        if v[i] >= v_threshold[i]:
            if subtract[i]:
                v[i] -= v_threshold[i]
            else:
                v[i] = v_reset[i]
            fired[n_fired] = i
            n_fired += 1
    return n_fired


@njit(cache=True, inline="always")
def _spike_uniform(v, v_threshold, subtract, v_reset, start, stop, fired):
    """:func:`_spike` for one threshold and reset throughout: scalars, so the scan of a large,
    mostly silent population is a compare per neuron and nothing else."""
    n_fired = 0
    for i in range(start, stop):
        if v[i] >= v_threshold:
            if subtract:
                v[i] -= v_threshold
            else:
                v[i] = v_reset
            fired[n_fired] = i
            n_fired += 1
    return n_fired


@njit(cache=True, inline="always")
def _spike_signed(v, v_threshold, net, start, stop, fired, payloads):
    """The spike test of a signed population (reset by subtraction): a positive spike at
    ``v >= v_threshold``; a negative one, giving the threshold back, at ``v < 0`` while the
    neuron's net count ``net`` is above 0. Sets each emitter's payload (+1 or -1)."""
    n_fired = 0
    for i in range(start, stop):
        if v[i] >= v_threshold[i]:
            v[i] -= v_threshold[i]
            payloads[n_fired] = 1.0
            net[i] += 1
        elif v[i] < 0.0 and net[i] > 0:
            v[i] += v_threshold[i]
            payloads[n_fired] = -1.0
            net[i] -= 1
        else:
            continue
        fired[n_fired] = i
        n_fired += 1
    return n_fired


@njit(cache=True, inline="always")
def _deliver(j, fired, payloads, n_fired, source_start, now, proj, ring, depth, counts, passed, queued_rows,
             queued_values):
    """Send this step's events of one source population (``fired[:n_fired]``, global
    indices, with their payloads) through projection j.

    Everything that belongs to the projection -- its slot, core and geometry -- is
    read once, not once per event. ``now`` is this step's ring slot (``t % depth``).
    A dense core's rows wait in ``queued_rows`` and ``queued_values`` (scratch of
    ``ROWS_PER_PASS``) and are added that many at a time.
    Returns the number of synaptic operations (target writes) it cost.
    """
    synops = 0
    target0 = proj.target_start[j]
    core = proj.core[j]
    indptr0 = proj.pre_ptr[j]
    arrival = now + proj.delay[j]  # delay < depth: one wrap at most, no integer division
    if arrival >= depth:
        arrival -= depth
    gated = proj.gate[j]
    n_out = proj.n_out[j]
    w0 = proj.weight_offset[j]
    narrow = proj.narrow[j]
    w32 = proj.weight32_offset[j]
    c = proj.conv[j]
    c_in, h, w, c_out, oh, ow = c[0], c[1], c[2], c[3], c[4], c[5]
    kh, kw, sh, sw, ph, pw, dh, dw, groups = c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14]
    group_in = group_out = 0
    if core == CORE_CONV:  # two integer divisions, for the projections that use them only
        group_in, group_out = c_in // groups, c_out // groups
    plane = oh * ow
    # a 1-D view of the targets, made once per projection and step: no 2-D index in the inner loops
    targets = ring[arrival, target0:target0 + (c_out * plane if core == CORE_CONV else n_out)]
    channels_last = proj.channels_last[j]
    # a channels-last target with unit stride and dilation along x: a whole kernel row is one contiguous run
    span_path = channels_last and groups == 1 and sw == 1 and dw == 1
    s0 = proj.syn_ptr[j]
    n_queued = 0
    for e in range(n_fired):
        source_local = fired[e] - source_start
        payload = payloads[e]
        last_window = -1
        passes = False
        for k in range(proj.pre_indptr[indptr0 + source_local], proj.pre_indptr[indptr0 + source_local + 1]):
            mid = proj.pre_index[k]
            if gated:
                # max-pool gate: pass only when this event raises the window's largest count; a window's
                # entries (pooling after the gate may give it several) are adjacent, decided once
                window = proj.pre_window[k]
                if window != last_window:
                    last_window = window
                    slot = proj.gate_offset[j] + window
                    passes = counts[source_start + source_local] > passed[slot]
                    if passes:
                        passed[slot] += 1
                if not passes:
                    continue
            value = payload * proj.pre_weight[k]
            if core == CORE_IDENTITY:
                ring[arrival, target0 + mid] += value
                synops += 1
            elif core == CORE_DENSE:
                # rows wait and go in eights: one pass over the targets instead of eight (each target
                # still sums them in event order); float32 rows are widened exactly
                queued_rows[n_queued] = mid
                queued_values[n_queued] = value
                n_queued += 1
                synops += n_out
                if n_queued == ROWS_PER_PASS:
                    if narrow:
                        _add_rows8(targets, proj.weights32, w32, n_out, queued_rows, queued_values)
                    else:
                        _add_rows8(targets, proj.weights, w0, n_out, queued_rows, queued_values)
                    n_queued = 0
            elif core == CORE_CONV:
                synops += _conv_event(mid, value, proj.weights, w0, targets, c_in, h, w, c_out, oh, ow, kh, kw,
                                      sh, sw, ph, pw, dh, dw, groups, group_in, group_out, plane, channels_last,
                                      span_path)
            else:  # explicit synapses with their own delays
                for syn in range(proj.syn_indptr[s0 + mid], proj.syn_indptr[s0 + mid + 1]):
                    slot = arrival + proj.syn_delay[syn]  # syn_delay < depth: one wrap at most, no modulo
                    if slot >= depth:
                        slot -= depth
                    ring[slot, target0 + proj.syn_target[syn]] += value * proj.syn_weight[syn]
                    synops += 1
    for r in range(n_queued):  # the rows left over, one by one
        mid = queued_rows[r]
        if narrow:
            _add_row(targets, proj.weights32[w32 + mid * n_out:w32 + (mid + 1) * n_out], queued_values[r])
        else:
            _add_row(targets, proj.weights[w0 + mid * n_out:w0 + (mid + 1) * n_out], queued_values[r])
    return synops


@njit(cache=True, inline="always")
def _add_rows8(targets, weights, offset, n_out, rows, values):
    """``targets += values[r] * weights row rows[r]`` for r = 0..7 in one pass over the targets.

    Each target takes the eight products in order, as eight calls of :func:`_add_row` would
    (the parentheses fix the order; without fastmath LLVM keeps it), so the sums are bit for
    bit the same, with one load and store of the targets instead of eight.
    """
    a = weights[offset + rows[0] * n_out:offset + (rows[0] + 1) * n_out]
    b = weights[offset + rows[1] * n_out:offset + (rows[1] + 1) * n_out]
    c = weights[offset + rows[2] * n_out:offset + (rows[2] + 1) * n_out]
    d = weights[offset + rows[3] * n_out:offset + (rows[3] + 1) * n_out]
    e = weights[offset + rows[4] * n_out:offset + (rows[4] + 1) * n_out]
    f = weights[offset + rows[5] * n_out:offset + (rows[5] + 1) * n_out]
    g = weights[offset + rows[6] * n_out:offset + (rows[6] + 1) * n_out]
    h = weights[offset + rows[7] * n_out:offset + (rows[7] + 1) * n_out]
    va, vb, vc, vd = values[0], values[1], values[2], values[3]
    ve, vf, vg, vh = values[4], values[5], values[6], values[7]
    for o in range(targets.shape[0]):
        targets[o] = (((((((targets[o] + va * a[o]) + vb * b[o]) + vc * c[o]) + vd * d[o]) + ve * e[o]) + vf * f[o])
                      + vg * g[o]) + vh * h[o]


@njit(cache=True, inline="always")
def _add_row(targets, weights, value):
    """``targets += value * weights`` on 1-D views: LLVM vectorises it (indexing the 2-D ring in
    the loop is ~4x slower). Float32 weights widen exactly, so either width gives the same sums."""
    for o in range(targets.shape[0]):
        targets[o] += value * weights[o]


@njit(cache=True, inline="always")
def _output_position(shifted, stride, size):
    """The output row (or column) that an input position, shifted by the padding and the
    kernel tap, lands on; -1 if it lands between strides or outside the map."""
    if shifted < 0:
        return -1
    if stride == 1:  # the common case; an integer division costs tens of cycles
        position = shifted
    elif shifted % stride != 0:
        return -1
    else:
        position = shifted // stride
    return position if position < size else -1


@njit(cache=True, inline="always")
def _conv_event(mid, value, all_weights, w0, targets, c_in, h, w, c_out, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw,
                groups, group_in, group_out, plane, channels_last, span_path):
    """Scatter one event at core input ``mid`` through a shared convolution kernel.

    Weights are laid out (kh, group_in, kw reversed, c_out): the output channels are
    contiguous, and on the span path so is a whole kernel row against its targets.
    """
    synops = 0
    # two integer divisions per event, not eight: they cost tens of cycles each
    channel = mid // (h * w)
    rest = mid - channel * h * w
    y = rest // w
    x = rest - y * w
    if groups == 1:
        g, channel_local = 0, channel
    else:
        g = channel // group_in
        channel_local = channel - g * group_in
    kx_lo = max(0, x + pw - ow + 1)  # on the span path: the kernel columns whose output column is inside the map
    kx_hi = min(kw - 1, x + pw)
    for ky in range(kh):
        oy = _output_position(y + ph - ky * dh, sh, oh)
        if oy < 0:
            continue
        kernel_row = w0 + (ky * group_in + channel_local) * kw * c_out
        if span_path:
            if kx_lo > kx_hi:
                continue
            # output columns x+pw-kx_hi .. x+pw-kx_lo take kernel columns kx_hi .. kx_lo
            length = (kx_hi - kx_lo + 1) * c_out
            first_target = (oy * ow + x + pw - kx_hi) * c_out
            first_weight = kernel_row + (kw - 1 - kx_hi) * c_out
            _add_row(targets[first_target:first_target + length], all_weights[first_weight:first_weight + length],
                     value)
            synops += length
            continue
        for kx in range(kw):
            ox = _output_position(x + pw - kx * dw, sw, ow)
            if ox < 0:
                continue
            kernel = kernel_row + (kw - 1 - kx) * c_out
            position = oy * ow + ox
            if channels_last:  # the target's channels are contiguous: a vectorised row
                _add_row(targets[position * c_out + g * group_out:position * c_out + (g + 1) * group_out],
                         all_weights[kernel + g * group_out:kernel + (g + 1) * group_out], value)
            else:
                for co in range(g * group_out, (g + 1) * group_out):
                    targets[co * plane + position] += value * all_weights[kernel + co]
            synops += group_out
    return synops


@njit(cache=True)
def _run_sample(drive, pops, neu, proj, depth, gate_windows, out_start, out_stop, out_column, out_graded,
                spike_counts, counters, out_steps, out_v):
    """Simulate one sample; fills this sample's rows of the output arrays. Allocates the
    sample's state and hands it to :func:`_run_steps`.

    The output population's neurons ``out_start:out_stop`` (stored order) are recorded in
    the columns ``out_column`` (natural order), so the recording needs no reordering after.
    """
    n_total = neu.v_threshold.shape[0]
    ring = np.zeros((depth, 2 * n_total))  # second half: a product's second factor
    v = neu.v_initial.copy()
    current = np.zeros(n_total)  # CubaLIF synaptic current; a product's second factor
    level = np.zeros(n_total)  # graded populations: this step's activation
    sent = np.zeros(n_total)  # graded populations: the value receivers hold
    fired = np.empty(n_total, np.int64)  # this step's emitters of one population
    net = np.zeros(n_total, np.int64)  # signed populations: positive minus negative spikes so far
    payloads = np.empty(n_total)
    passed = np.zeros(gate_windows, np.int64)  # events each max-pool window has let through
    queued_rows = np.empty(ROWS_PER_PASS, np.int64)  # a dense core's rows waiting for _add_rows8
    queued_values = np.empty(ROWS_PER_PASS)
    _run_steps(drive, pops, neu, proj, depth, out_start, out_stop, out_column, out_graded, spike_counts, counters,
               out_steps, out_v, ring, v, current, level, sent, fired, net, payloads, passed, queued_rows,
               queued_values)


# Without Numba's reference counting (_nrt=False): every array here is owned by the caller and outlives
# the call, and the loop allocates nothing. With it, each inlined _deliver call counted a reference to
# every array of the projection tables in and out (~50 atomic operations per projection and step),
# about a quarter of a small LSTM's run time.
@njit(cache=True, _nrt=False)
def _run_steps(drive, pops, neu, proj, depth, out_start, out_stop, out_column, out_graded, spike_counts, counters,
               out_steps, out_v, ring, v, current, level, sent, fired, net, payloads, passed, queued_rows,
               queued_values):
    """The step loop of :func:`_run_sample`, on the state it allocated."""
    n_steps = out_steps.shape[0]
    n_total = neu.v_threshold.shape[0]
    n_pops = pops.start.shape[0]
    constant_drive = drive.shape[0] == 1
    for t in range(n_steps):
        slot = t % depth
        row = 0 if constant_drive else t
        for p in range(n_pops):
            start, stop = pops.start[p], pops.stop[p]
            n_fired = 0
            if pops.kind[p] == KIND_INPUT:
                column = pops.drive_column[p]
                for i in range(start, stop):  # branch-free: a random drive defeats the branch predictor
                    value = drive[row, column + i - start]
                    fired[n_fired] = i
                    payloads[n_fired] = value
                    n_fired += value != 0.0
            elif pops.kind[p] != KIND_NEURON:  # graded: sigma-delta or product
                counters[p, 2] += stop - start
                for i in range(start, stop):
                    arriving = ring[slot, i]
                    ring[slot, i] = 0.0
                    if pops.kind[p] == KIND_PRODUCT:
                        v[i] += arriving
                        current[i] += ring[slot, n_total + i]
                        ring[slot, n_total + i] = 0.0
                        level[i] = v[i] * current[i]
                    else:
                        if neu.accumulate[i]:
                            v[i] += arriving
                        else:
                            v[i] = arriving
                        level[i] = _activate(neu.activation[i], v[i] + neu.bias[i])
                    change = level[i] - sent[i]
                    if abs(change) > neu.v_threshold[i]:
                        sent[i] = level[i]
                        fired[n_fired] = i
                        payloads[n_fired] = change
                        n_fired += 1
                        if out_start <= i < out_stop:
                            out_steps[t, out_column[i - out_start]] += 1
            else:
                counters[p, 2] += stop - start
                if pops.uniform[p]:
                    _integrate_uniform(ring[slot, start:stop], current[start:stop], v[start:stop],
                                       neu.a_syn[start:stop], neu.w_in[start:stop], neu.a_mem[start:stop],
                                       neu.leak[start:stop], neu.r[start:stop], neu.bias[start:stop])
                else:
                    _integrate(ring[slot, start:stop], current[start:stop], v[start:stop], neu.a_syn[start:stop],
                               neu.w_in[start:stop], neu.a_mem[start:stop], neu.leak[start:stop],
                               neu.r[start:stop], neu.bias[start:stop])
                if pops.signed[p]:
                    n_fired = _spike_signed(v, neu.v_threshold, net, start, stop, fired, payloads)
                    for e in range(n_fired):  # the recorded output counts net: a negative spike takes one back
                        if out_start <= fired[e] < out_stop:
                            out_steps[t, out_column[fired[e] - out_start]] += 1 if payloads[e] > 0.0 else -1
                else:
                    if pops.uniform_spike[p]:
                        n_fired = _spike_uniform(v, neu.v_threshold[start], neu.subtract[start],
                                                 neu.v_reset[start], start, stop, fired)
                    else:
                        n_fired = _spike(v, neu.v_threshold, neu.subtract, neu.v_reset, start, stop, fired)
                    for e in range(n_fired):
                        payloads[e] = 1.0
                        if out_start <= fired[e] < out_stop:
                            out_steps[t, out_column[fired[e] - out_start]] += 1
            # Count every event of the step before delivering any (a max-pool gate
            # reads the counts).
            for e in range(n_fired):
                spike_counts[fired[e]] += 1
            counters[p, 0] += n_fired
            if n_fired:  # projection by projection: each one's geometry is read once per step
                for q in range(pops.proj_ptr[p], pops.proj_ptr[p + 1]):
                    counters[p, 1] += _deliver(pops.proj_list[q], fired, payloads, n_fired, start, slot, proj, ring,
                                               depth, spike_counts, passed, queued_rows,
                                               queued_values)
        for i in range(out_start, out_stop):
            out_v[t, out_column[i - out_start]] = level[i] if out_graded else v[i]


@njit(cache=True)
def run_serial(drive, pops, neu, proj, depth, gate_windows, out_start, out_stop, out_column, out_graded,
               spike_counts, counters, out_steps, out_v):
    """Simulate the batch's samples one after another: the same results as :func:`run_batch`, for one
    sample or one thread, and compiled without Numba's parallel machinery (half the compile time)."""
    for b in range(drive.shape[0]):
        _run_sample(drive[b], pops, neu, proj, depth, gate_windows, out_start, out_stop, out_column, out_graded,
                    spike_counts[b], counters[b], out_steps[b], out_v[b])


@njit(cache=True, parallel=True)
def run_batch(drive, pops, neu, proj, depth, gate_windows, out_start, out_stop, out_column, out_graded,
              spike_counts, counters, out_steps, out_v):
    """Simulate every sample of the batch; samples are spread over the cores."""
    for b in prange(drive.shape[0]):
        _run_sample(drive[b], pops, neu, proj, depth, gate_windows, out_start, out_stop, out_column, out_graded,
                    spike_counts[b], counters[b], out_steps[b], out_v[b])
