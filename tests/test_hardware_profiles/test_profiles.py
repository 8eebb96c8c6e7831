"""Every shipped profile follows the schema; the loader refuses bad files by file and key."""

import math
import os

import numpy as np
import pytest

import hardware_profiles as hp
from hardware_profiles import ProfileError
from hardware_profiles.energy import estimate
from hardware_profiles.profile import NODE_KINDS
from hardware_profiles.quantize import step_for, to_codebook, to_fixed
from neuro import ir

REQUIRED_CHIPS = {"truenorth", "loihi", "loihi2", "spinnaker", "spinnaker2"}
REQUIRED_ANN = {"cpu", "gpu", "horowitz45nm"}


def test_the_required_profiles_ship():
    names = set(hp.available())
    assert REQUIRED_CHIPS | REQUIRED_ANN <= names
    assert len(names & {"speck", "akida", "dynapse2", "xylo"}) >= 2


@pytest.mark.parametrize("name", hp.available())
def test_profile_conformance(name):
    profile = hp.load(name)
    assert profile.name == name and profile.display_name and profile.description
    assert profile.quantities, "a profile with no numbers"
    for key, quantity in profile.quantities.items():
        assert quantity.value >= 0 and math.isfinite(quantity.value)
        assert profile.source_of(key).strip()
        assert quantity.evidence in hp.profile.EVIDENCE
    if profile.kind == "neuromorphic":
        s = profile.structure
        for field in ("max_chips", "cores_per_chip", "mesh_x", "mesh_y", "neurons_per_core", "weight_bits"):
            assert getattr(s, field) >= 1
        assert profile.supports <= set(NODE_KINDS)
        assert any(kind in profile.supports for kind in ("IF", "LIF", "CubaLIF"))
    else:
        assert profile.cost.mac_j is not None and profile.structure is None


def test_node_kinds_match_the_ir():
    assert set(NODE_KINDS) == set(ir.NODE_TYPES) - {"Input"}


def test_units_are_converted_to_si():
    loihi = hp.load("loihi")
    assert loihi.cost.synop_j == pytest.approx(23.6e-12)
    assert loihi.cost.static_per_chip_w == pytest.approx(0.104)
    assert loihi.cost.time_step_s == pytest.approx(1e-5)
    assert hp.load("truenorth").cross_checks["amortised_synop_pj"].value == pytest.approx(26e-12)


def test_amortised_figures_are_never_billed():
    truenorth = hp.load("truenorth")
    assert truenorth.cost.synop_j == pytest.approx(2.3e-12)  # the marginal figure, not the 26 pJ amortised one


GOOD = """
schema_version = 1
name = "mine"
display_name = "My chip"
kind = "neuromorphic"
supports = ["IF", "Dense"]
[[references]]
key = "me"
citation = "My lab notebook, 2026, page 3"
[structure]
max_chips = { value = 1, source = "me", evidence = "estimated" }
cores_per_chip = { value = 4, source = "me", evidence = "estimated" }
mesh_x = { value = 2, source = "me", evidence = "estimated" }
mesh_y = { value = 2, source = "me", evidence = "estimated" }
neurons_per_core = { value = 64, source = "me", evidence = "estimated" }
weight_bits = { value = 8, source = "me", evidence = "estimated" }
[cost]
synop_pj = { value = 1.5, source = "me", evidence = "estimated" }
"""


def test_a_users_profile_file_loads(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    profile = hp.load(path)
    assert profile.name == "mine" and profile.cost.synop_j == pytest.approx(1.5e-12)


@pytest.mark.parametrize("edit, key", [
    (lambda t: t.replace('neurons_per_core = { value = 64,', 'neurons_per_cor = { value = 64,'), "structure"),
    (lambda t: t.replace('weight_bits = { value = 8, source = "me", evidence = "estimated" }\n', ''),
     "structure.weight_bits"),
    (lambda t: t.replace('synop_pj = { value = 1.5, source = "me", ', 'synop_pj = { value = 1.5, '), "cost.synop_pj"),
    (lambda t: t.replace('value = 1.5', 'value = -1.5'), "cost.synop_pj"),
    (lambda t: t.replace('value = 1.5', 'value = "fast"'), "cost.synop_pj"),
    (lambda t: t.replace('value = 64', 'value = 6.5'), "structure.neurons_per_core"),
    (lambda t: t.replace('evidence = "estimated" }\n[cost]', 'evidence = "rumour" }\n[cost]'),
     "structure.weight_bits"),
    (lambda t: t.replace('source = "me", evidence = "estimated" }\n[cost]',
                         'source = "x", evidence = "estimated" }\n[cost]'), "structure.weight_bits"),
    (lambda t: t.replace('supports = ["IF", "Dense"]', 'supports = ["IF", "Transformer"]'), "supports"),
    (lambda t: t + "\nspeed = 3\n", "speed"),
    (lambda t: t.replace('[cost]', '[cost]\nteraflops = { value = 1, source = "me", evidence = "estimated" }'), "cost"),
    (lambda t: t.replace('schema_version = 1', 'schema_version = 2'), "schema_version"),
    (lambda t: t.replace('name = "mine"', 'name = "mine'), "not valid TOML"),
])
def test_malformed_profiles_name_the_file_and_key(tmp_path, edit, key):
    path = tmp_path / "bad.toml"
    path.write_text(edit(GOOD))
    with pytest.raises(ProfileError) as error:
        hp.load(path)
    assert str(path) in str(error.value) and key in str(error.value)


def _cost(key, value):
    line = f'{key} = {{ value = {value}, source = "me", evidence = "estimated" }}'
    return lambda t: t.replace("[cost]", f"[cost]\n{line}")


def _section(header, replacement):
    """Drop the ``[header]`` section and write ``replacement`` among the top-level keys instead."""
    def edit(text):
        start = text.index(f"[{header}]\n")
        end = text.find("\n[", start + 1)
        text = text[:start] + (text[end + 1:] if end >= 0 else "")
        return text.replace('kind = "neuromorphic"\n', f'kind = "neuromorphic"\n{replacement}\n')
    return edit


@pytest.mark.parametrize("edit, key, message", [
    # issue 21: each of these passed `neuro profiles check` and then failed or lied in `neuro run`
    (_cost("time_step_s", "1e308"), "cost.time_step_s", "[1e-12, 1] s, got 1e+308"),  # inf energy, invalid JSON
    (_cost("time_step_s", "0"), "cost.time_step_s", "got 0"),  # zero latency, no static energy
    (_cost("time_step_s", "-1e-3"), "cost.time_step_s", "got -0.001"),
    (lambda t: t.replace("weight_bits = { value = 8", "weight_bits = { value = 1"), "structure.weight_bits",
     "[2, 53], got 1"),  # the quantiser's signed grid needs 2 bits: every map failed
    (lambda t: t.replace("weight_bits = { value = 8", "weight_bits = { value = 2000"), "structure.weight_bits",
     "got 2000"),  # overflowed in run
    (lambda t: t.replace("value = 1.5", "value = 1e308"), "cost.synop_pj", "[0, 1e+09] pJ"),
    (_cost("static_per_chip_mw", "1e300"), "cost.static_per_chip_mw", "mW"),
    (lambda t: t.replace("weight_bits = {", 'state_bits = { value = 1, source = "me", evidence = "estimated" }\n'
                         "weight_bits = {"), "structure.state_bits", "got 1"),
    (lambda t: t.replace("neurons_per_core = { value = 64", "neurons_per_core = { value = 0"),
     "structure.neurons_per_core", "got 0"),
    (lambda t: t.replace("value = 1.5,", "value = 1.5, band = [2.0, 1.0],"), "cost.synop_pj", "low <= high"),
    (lambda t: t.replace("value = 1.5,", "value = 1.5, band = [1.0, inf],"), "cost.synop_pj", "finite"),
    (_section("structure", 'structure = "big"'), "structure", "must be a table"),
    (_section("structure", "structure = [1, 2]"), "structure", "got a list"),
    (_section("cost", 'cost = "cheap"'), "cost", "must be a table"),
    (_section("cost", "cost = [1.5]"), "cost", "got a list"),
    (lambda t: t.replace("[cost]", "[[cross_checks]]\nx = 1\n[cost]"), "cross_checks", "must be a table"),
    (_section("[references]", 'references = "me"'), "references", "must be a list of tables"),
    (_section("[references]", "references = 5"), "references", "got an integer"),
    (lambda t: t.replace('citation = "My lab notebook, 2026, page 3"', "citation = 3"), "references[0]", "text"),
    (lambda t: t.replace('name = "mine"', "name = 7"), "name", "non-empty string"),
    (lambda t: t.replace("schema_version = 1", "schema_version = true"), "schema_version", "schema 1"),
])
def test_numbers_outside_their_range_and_sections_of_the_wrong_type_are_refused(tmp_path, edit, key, message):
    path = tmp_path / "bad.toml"
    path.write_text(edit(GOOD))
    with pytest.raises(ProfileError) as error:
        hp.load(path)
    assert str(error.value).startswith(f"{path}: {key}: ") and message in str(error.value)
    assert "\n" not in str(error.value)


def test_every_number_has_a_range():
    structure = {f"structure.{k}" for k in hp.profile._STRUCTURE_KEYS}
    cost = {f"cost.{k}" for k in hp.profile._COST_KEYS}
    assert set(hp.profile.LIMITS) == structure | cost


def _extreme(end: int) -> str:
    """GOOD with every structural and cost number at the low (0) or high (1) end of its range."""
    lines = [line for line in GOOD.splitlines() if "= { value" not in line]
    for key, limits in hp.profile.LIMITS.items():
        section, name = key.split(".")
        value = limits[end]
        lines.insert(lines.index(f"[{section}]") + 1,
                     f'{name} = {{ value = {value!r}, source = "me", evidence = "estimated" }}')
    return "\n".join(lines)


@pytest.mark.parametrize("end", [0, 1])
def test_a_profile_that_passes_check_maps_and_bills_finite_numbers(end):
    # issue 21: "a number that passes `profiles check` runs"; the ends of every range are the hard cases
    from neuro.mapping import map_to_profile

    profile = hp.parse(_extreme(end), "extreme.toml")
    graph = ir.Graph(nodes={"in": ir.Input((6,)), "w": ir.Dense(np.linspace(-1, 1, 24).reshape(4, 6), np.ones(4)),
                            "n": ir.IF.uniform((4,), v_threshold=0.7)}, edges=(("in", "w"), ("w", "n")))
    mapped = map_to_profile(graph, profile)
    assert all(np.all(np.isfinite(a)) for node in mapped.graph.nodes.values()
               for a in ir.node_fields(node).values() if isinstance(a, np.ndarray))
    counts = {"synops": 1e12, "graded_synops": 1e12, "neuron_updates": 1e12, "events": 1e12, "hops": 1e12,
              "chip_crossings": 1e12}
    energy = estimate(profile.cost, counts, steps=10 ** 6, chips=mapped.chips)
    assert math.isfinite(energy.total_j) and math.isfinite(energy.latency_s) and energy.latency_s > 0


@pytest.mark.parametrize("make, message", [
    (lambda p: os.mkfifo(p), "not a regular file"),  # the read blocked forever
    (lambda p: p.write_text("# padding\n" * 200_000), "at most 1048576"),
    (lambda p: p.write_bytes(b"\xff\xfe name"), "not UTF-8"),
    (lambda p: p.write_text("a = " + "[" * 5000 + "]" * 5000), "nested too deeply"),  # a RecursionError in tomllib
])
def test_only_small_regular_text_files_are_read(tmp_path, make, message):
    path = tmp_path / "odd.toml"
    make(path)
    with pytest.raises(ProfileError, match=message) as error:
        hp.load(path)
    assert str(path) in str(error.value)


def test_a_device_is_refused_before_it_is_read():
    with pytest.raises(ProfileError, match="/dev/zero: not a regular file"):  # read until MemoryError before
        hp.load("/dev/zero")


def test_unknown_profile_lists_the_shipped_ones():
    with pytest.raises(ProfileError, match="loihi"):
        hp.load("akida9000")


def test_energy_estimate_equals_a_hand_computation():
    cost = hp.load("loihi").cost
    counts = {"synops": 1000, "graded_synops": 10, "neuron_updates": 320, "events": 50, "hops": 70}
    result = estimate(cost, counts, steps=32, chips=2)
    chip_step = cost.chip_step_j  # fitted on Blouw 2019; tests/test_neuro/test_calibration.py rederives it
    by_hand = (1010 * 23.6e-12 + 320 * 81e-12 + 50 * 1.7e-12 + 70 * 3.5e-12
               + 2 * 0.104 * 32 * 1e-5 + 2 * 32 * chip_step)
    assert result.total_j == pytest.approx(by_hand)
    assert result.latency_s == pytest.approx(32e-5)
    assert result.not_billed == ()


def test_missing_costs_are_named_not_invented():
    # a profile that gives no synaptic-op cost (nor static power) gets no total, and says why
    no_synop = hp.parse(GOOD.replace('synop_pj = { value = 1.5, source = "me", evidence = "estimated" }', ""), "x")
    result = estimate(no_synop.cost, {"synops": 10, "neuron_updates": 5}, steps=4)
    assert result.total_j is None and "synops" in result.not_billed and "static" in result.not_billed
    partial = estimate(hp.load("spinnaker2").cost, {"synops": 10, "events": 3}, steps=4)
    assert partial.total_j == pytest.approx(10 * 450e-12) and "events" in partial.not_billed


def test_ann_baselines_bill_macs_activations_and_weight_reads():
    cost = hp.load("horowitz45nm").cost
    result = hp.ann_energy(cost, macs=1000, activations=100, weight_bytes=400)
    assert result.total_j == pytest.approx(1000 * 4.6e-12 + 400 * 2.5e-12)
    with pytest.raises(ValueError, match="MAC"):
        hp.ann_energy(hp.load("loihi").cost, macs=1, activations=1, weight_bytes=1)


def test_fixed_point_and_codebook_quantisation():
    values = np.array([-1.0, -0.26, 0.0, 0.4, 1.0])
    q, step = to_fixed(values, 3)
    assert step == 0.5  # 3 bits: +-3 steps; the finest power of two that reaches 1 is 1/2
    np.testing.assert_allclose(q, [-1.0, -0.5, 0.0, 0.5, 1.0])
    q, step = to_fixed([0.3, -0.05], 8)
    assert step == 2.0 ** -8 and np.all(q / step == np.round(q / step))
    rows = np.random.default_rng(0).normal(size=(5, 40))
    coded = to_codebook(rows, levels=4, bits=9)
    for row in coded:
        assert len(set(row[row != 0].tolist())) <= 4
    assert np.abs(coded - rows).mean() < np.abs(rows).mean()


def test_a_user_profile_without_a_synop_cost_gives_no_total_only_when_synops_occurred():
    # a user's own cost model (not a shipped one, whose figures may change): neuron updates and static power
    # priced, synaptic operations not
    cost = hp.CostModel(neuron_update_j=2e-12, static_per_chip_w=0.5, time_step_s=1e-3)
    unbilled = estimate(cost, {"synops": 1, "neuron_updates": 10}, steps=4, chips=1)
    assert unbilled.total_j is None and unbilled.not_billed == ("synops",)
    assert unbilled.components_j == pytest.approx({"neuron_updates": 20e-12, "static": 0.5 * 4e-3})
    billed = estimate(cost, {"synops": 0, "neuron_updates": 10}, steps=4, chips=1)
    assert billed.total_j == pytest.approx(20e-12 + 0.5 * 4e-3) and billed.not_billed == ()
    graded_only = estimate(cost, {"graded_synops": 3}, steps=4, chips=1)  # a MAC falls back to the synop cost
    assert graded_only.total_j is None and graded_only.not_billed == ("graded_synops",)


def test_static_power_is_billed_for_one_chip_unless_told_otherwise_and_complete_says_all_was_billed():
    cost = hp.CostModel(synop_j=1e-12, static_per_chip_w=0.5, time_step_s=1e-3)
    one = estimate(cost, {"synops": 10}, steps=4)
    assert one.components_j["static"] == pytest.approx(0.5 * 1 * 4e-3)  # one chip, 4 steps of 1 ms
    assert estimate(cost, {"synops": 10}, steps=4, chips=3).components_j["static"] == pytest.approx(0.5 * 3 * 4e-3)
    assert one.complete and one.not_billed == ()
    unpriced = estimate(hp.CostModel(synop_j=1e-12), {"synops": 10}, steps=4)  # no static power given
    assert not unpriced.complete and unpriced.not_billed == ("static",)


def test_a_two_bit_grid_is_the_smallest_and_its_step_is_the_finest_that_covers_the_largest_value():
    # 2 bits: levels -1, 0, 1 steps; 0.7 needs a step of at least 0.7, the finest power of two is 1
    q, step = to_fixed([0.3, -0.7], 2)
    assert step == 1.0 and q.tolist() == [0.0, -1.0]
    with pytest.raises(ValueError, match="at least 2 bits"):
        to_fixed([0.3], 1)
    # 3 bits: +-3 steps; a largest value of exactly 3 steps of 1 fits the grid of step 1, not 2
    q, step = to_fixed([3.0, -1.0], 3)
    assert step == 1.0 and q.tolist() == [3.0, -1.0]


def test_all_zero_or_empty_values_get_a_unit_step():
    assert step_for(np.zeros(3), 8) == 1.0 and step_for(np.array([]), 8) == 1.0
    q, step = to_fixed(np.zeros(3), 8)
    assert step == 1.0 and q.tolist() == [0.0, 0.0, 0.0]


def test_a_given_step_clips_to_the_signed_range_of_the_bits():
    # 3 bits with a step of 1/4: at most 3 steps either side, so +-1 become +-3/4
    q, step = to_fixed([1.0, -1.0, 0.3], 3, step=0.25)
    assert step == 0.25 and q.tolist() == [0.75, -0.75, 0.25]


@pytest.mark.parametrize("row, levels, expected", [
    # four equally frequent values and four levels: the k-means starts at them and keeps them
    ([-1.0, -1.0, -0.5, -0.5, 0.5, 0.5, 1.0, 1.0], 4, [-1.0, -1.0, -0.5, -0.5, 0.5, 0.5, 1.0, 1.0]),
    # zeros are no synapses: they neither take a level nor pull one towards 0
    ([0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0], 2, [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0]),
    # a single synapse keeps its weight
    ([0.0, 0.5, 0.0], 4, [0.0, 0.5, 0.0]),
    # two levels for 1, 3, 4: the least-squares split is {1} {3, 4} (squared error 0.5, against 2 for
    # {1, 3} {4}), so the levels are 1 and 3.5 (all on the 8-bit grid of step 1/16)
    ([1.0, 3.0, 4.0], 2, [1.0, 3.5, 3.5]),
    # fewer distinct weights than levels: each keeps its own level, the spare levels (1.75 and 2.25 at the
    # start) take no weight and stay where they are
    ([1.0, 3.0], 4, [1.0, 3.0]),
])
def test_codebook_levels_by_hand(row, levels, expected):
    assert to_codebook(np.array([row]), levels=levels, bits=8).tolist() == [expected]


def test_codebook_levels_are_the_converged_k_means_of_a_second_implementation():
    # a row whose k-means needs 23 rounds (the code stopped after 20 before): its levels must be scikit-learn's
    # converged Lloyd centres from the same start (the quantiles of the row), each rounded to the 12-bit grid
    from sklearn.cluster import KMeans

    rng = np.random.default_rng(2714)
    row = rng.exponential(size=100) * rng.choice([-1, 1], 100)
    start = np.quantile(row, [1 / 8, 3 / 8, 5 / 8, 7 / 8])
    fitted = KMeans(4, init=start[:, None], n_init=1, max_iter=1000, tol=0, algorithm="lloyd").fit(row[:, None])
    assert fitted.n_iter_ > 20
    levels, _ = to_fixed(np.sort(fitted.cluster_centers_.ravel()), 12, step_for(row, 12))
    coded = to_codebook(row[None], levels=4, bits=12)[0]
    assert set(coded.tolist()) <= set(levels.tolist()) | {0.0}
    nearest = np.concatenate([[0.0], levels])[np.abs(row[:, None] - np.concatenate([[0.0], levels])).argmin(axis=1)]
    np.testing.assert_array_equal(coded, nearest)


def test_a_two_bit_truenorth_profile_still_uses_the_codebook(tmp_path):
    # axon types at the smallest grid the loader accepts (2 bits): the codebook path, not plain rounding, which
    # differs on this row (rounding sends -0.6 to -1; the codebook's level for {-0.6, -0.3}, -0.45, rounds to 0)
    import dataclasses

    from neuro import ir
    from neuro.mapping import quantise

    profile = hp.load("truenorth")
    two_bits = dataclasses.replace(profile, structure=dataclasses.replace(profile.structure, weight_bits=2))
    row = np.array([[0.7, 0.3, 0.6, -0.3, 0.1, -0.6]])
    graph = ir.Graph(nodes={"in": ir.Input((6,)), "w": ir.Dense(row), "n": ir.IF.uniform((1,))},
                     edges=(("in", "w"), ("w", "n")))
    quantised, _ = quantise(graph, two_bits)
    np.testing.assert_array_equal(quantised.nodes["w"].weight, to_codebook(row, levels=4, bits=2))
    assert not np.array_equal(to_codebook(row, levels=4, bits=2), to_fixed(row, 2)[0])


def test_per_step_overheads_bill_exactly_the_cores_and_chips_in_use_and_none_by_default():
    cost = hp.CostModel(synop_j=1e-12, core_step_j=3e-9, chip_step_j=5e-8)
    # one core and one chip for one step: the smallest run that pays each overhead, once
    single = estimate(cost, {"synops": 1}, steps=1, chips=1, cores=1)
    assert single.components_j["core_steps"] == pytest.approx(3e-9)
    assert single.components_j["chip_steps"] == pytest.approx(5e-8)
    # a caller that does not say how many cores are in use bills no per-core overhead (never an invented one)
    assert "core_steps" not in estimate(cost, {"synops": 1}, steps=4, chips=1).components_j
    assert "chip_steps" not in estimate(cost, {"synops": 1}, steps=4, chips=0).components_j
    idle = estimate(cost, {}, steps=0, chips=1, cores=2)  # no step run: no overhead, and no division by zero
    assert "core_steps" not in idle.components_j and "chip_steps" not in idle.components_j
