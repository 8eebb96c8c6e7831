"""Conversion rules against torch: the ANN reading of the graph equals the model,
and the spiking rates approach it as 1/T."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import neuro
from converters import ConversionConfig, ConversionError, UnsupportedLayer, from_torch, zoo
from neuro import analog, encode, io, ir


def _randomise_batchnorm(model: nn.Module, seed: int) -> nn.Module:
    generator = torch.Generator().manual_seed(seed)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm1d | nn.BatchNorm2d):
            n = module.num_features
            module.running_mean = torch.rand(n, generator=generator) - 0.5
            module.running_var = torch.rand(n, generator=generator) + 0.5
            module.weight.data = torch.rand(n, generator=generator) + 0.5
            module.bias.data = torch.rand(n, generator=generator) * 0.4 - 0.2
    return model.eval()


_SHAPES = {"digits": (1, 8, 8), "mnist1d": (1, 40), "mnist": (1, 28, 28), "cifar10": (3, 32, 32)}


def _inputs(name, n=64, seed=0):
    """Random samples shaped as the zoo model's data set (or a data set's name) gives them."""
    dataset = zoo.recipe(name).dataset if name in zoo.ZOO else name
    return np.random.default_rng(seed).random((n, *_SHAPES[dataset.partition(":")[0]]))


def _reads_as_the_model(model: nn.Module, x: np.ndarray, config: ConversionConfig | None = None) -> ir.Graph:
    """Convert ``model`` on ``x`` and check that the graph read as an ANN gives the model's output."""
    graph = from_torch(model, x, config)
    with torch.no_grad():
        expected = model(torch.as_tensor(x, dtype=torch.float32)).double().numpy()
    np.testing.assert_allclose(analog.evaluate(graph, x).logits, expected, rtol=1e-4, atol=1e-5)
    return graph


CNNS = [name for name, recipe in zoo.ZOO.items() if not recipe.sequence]


@pytest.mark.parametrize("name", CNNS)
def test_graph_read_as_ann_equals_the_torch_model(name):
    torch.manual_seed(3)
    model = _randomise_batchnorm(zoo.build(name), 3)
    x = _inputs(name, 16 if name.startswith(("mnist-", "cifar10")) else 64)
    graph = from_torch(model, x)
    with torch.no_grad():
        expected = model(torch.as_tensor(x, dtype=torch.float32)).double().numpy()
    np.testing.assert_allclose(analog.evaluate(graph, x).logits, expected, rtol=1e-4, atol=1e-5)


def test_batchnorm_folding_is_exact_and_recorded():
    torch.manual_seed(0)
    model = _randomise_batchnorm(zoo.build("digits-cnn-bn-maxpool"), 1)
    x = _inputs("digits", 16)
    graph = from_torch(model, x)
    assert graph.metadata["conversion"]["folded_batchnorm"] == ["features.1", "features.5"]
    conv = graph.nodes["features_0"]
    bn, layer = model.features[1], model.features[0]
    gain = (bn.weight / torch.sqrt(bn.running_var + bn.eps)).detach().double().numpy()
    expected_bias = ((layer.bias - bn.running_mean) * bn.weight / torch.sqrt(bn.running_var + bn.eps)
                     + bn.bias).detach().double().numpy()
    np.testing.assert_allclose(conv.weight, layer.weight.detach().double().numpy() * gain[:, None, None, None],
                               rtol=1e-6)
    np.testing.assert_allclose(conv.bias, expected_bias, rtol=1e-6, atol=1e-7)


def _rate_error(graph, x, population, timesteps):
    net = neuro.compile_network(graph)
    result = neuro.simulate(net, encode.constant(x), timesteps=timesteps)
    node = graph.nodes[population]
    snn = result.counts_of(population).reshape(len(x), *node.shape) / timesteps
    ann = np.minimum(analog.evaluate(graph, x).rate[population], 1.0)  # a neuron fires once per step at most
    return np.abs(snn - ann).max()


@pytest.mark.parametrize("name, population", [
    ("digits-cnn", "features_1"), ("digits-cnn", "features_4"),
    ("digits-cnn-bn-maxpool", "features_2"), ("digits-cnn-bn-maxpool", "features_6"),
    ("digits-resnet", "block1_act1"), ("digits-resnet", "block2_act2"), ("mnist1d-cnn", "features_5"),
])
def test_rates_approach_the_ann_activations_like_one_over_t(name, population):
    torch.manual_seed(1)
    model = _randomise_batchnorm(zoo.build(name), 1)
    x = _inputs(name, 8, seed=1)
    graph = from_torch(model, x, ConversionConfig(percentile=100.0))  # no clipping: the rate law holds exactly
    errors = {t: _rate_error(graph, x, population, t) for t in (16, 64, 256)}
    assert errors[256] < errors[16] / 5
    assert errors[256] * 256 < 12  # error x T stays bounded: O(1/T)


def test_first_layer_rate_error_is_within_half_an_event():
    torch.manual_seed(2)
    model = zoo.build("digits-cnn")
    x = _inputs("digits", 8, seed=2)
    graph = from_torch(model, x, ConversionConfig(percentile=100.0))
    for t in (10, 100):
        assert _rate_error(graph, x, "features_1", t) <= 0.5 / t + 1e-12


class Functional(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 16, 10)

    def forward(self, x):
        y = F.relu(self.conv1(x))
        y = torch.relu(y + self.conv2(y))
        y = F.max_pool2d(y, 2)
        return self.fc(y.view(y.size(0), -1))


class Modules(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.flat = nn.Flatten()
        self.fc = nn.Linear(4 * 16, 10)

    def forward(self, x):
        y = self.relu1(self.conv1(x))
        return self.fc(self.flat(self.pool(self.relu2(y + self.conv2(y)))))


def test_functional_forms_convert_like_their_modules():
    torch.manual_seed(0)
    functional, modules = Functional(), Modules()
    modules.load_state_dict(functional.state_dict(), strict=False)
    x = _inputs("digits", 16)
    a, b = from_torch(functional, x), from_torch(modules, x)
    assert [type(n).__name__ for n in a.nodes.values()] == [type(n).__name__ for n in b.nodes.values()]
    np.testing.assert_allclose(analog.evaluate(a, x).logits, analog.evaluate(b, x).logits)
    net_a, net_b = neuro.compile_network(a), neuro.compile_network(b)
    ra = neuro.simulate(net_a, encode.constant(x), timesteps=20)
    rb = neuro.simulate(net_b, encode.constant(x), timesteps=20)
    np.testing.assert_array_equal(ra.spike_counts, rb.spike_counts)


def test_max_pool_before_relu_becomes_a_gate_after_the_population():
    class ConvPoolRelu(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv1d(1, 3, 3, padding=1)
            self.pool = nn.MaxPool1d(2)
            self.fc = nn.Linear(3 * 20, 10)

        def forward(self, x):
            return self.fc(torch.flatten(torch.relu(self.pool(self.conv(x))), 1))

    torch.manual_seed(0)
    model = ConvPoolRelu().eval()
    x = np.random.default_rng(0).normal(size=(32, 1, 40))
    graph = from_torch(model, x)
    assert any(isinstance(n, neuro.ir.MaxPool1d) for n in graph.nodes.values())
    with torch.no_grad():
        expected = model(torch.as_tensor(x, dtype=torch.float32)).double().numpy()
    np.testing.assert_allclose(analog.evaluate(graph, x).logits, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("layer, kind, advice", [
    (nn.Sigmoid(), "Sigmoid", "ReLU"),
    (nn.LayerNorm([4, 8, 8]), "LayerNorm", "BatchNorm"),
    (nn.GELU(), "GELU", "ReLU"),
])
def test_unsupported_modules_name_their_path_type_and_alternative(layer, kind, advice):
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), layer, nn.Flatten(), nn.Linear(256, 10))
    with pytest.raises(UnsupportedLayer) as error:
        from_torch(model, _inputs("digits", 4))
    assert error.value.path == "1" and error.value.kind == kind
    assert advice in str(error.value) and "'1'" in str(error.value)


def test_unsupported_function_is_named():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(64, 10)

        def forward(self, x):
            return self.fc(torch.sigmoid(torch.flatten(x, 1)))

    with pytest.raises(UnsupportedLayer, match="sigmoid.*ReLU"):
        from_torch(Net(), _inputs("digits", 4))


def test_two_weight_layers_without_activation_are_refused():
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.Linear(32, 10))
    with pytest.raises(ConversionError, match="no ReLU between"):
        from_torch(model, _inputs("digits", 4))


def test_conversion_settings_are_recorded_and_survive_a_round_trip(tmp_path):
    torch.manual_seed(0)
    model = zoo.build("digits-cnn-bn-maxpool").eval()
    x = _inputs("digits", 16)
    config = ConversionConfig(percentile=99.0, normalisation="channel", half_threshold_init=False)
    graph = from_torch(model, x, config)
    meta = graph.metadata["conversion"]
    assert meta["percentile"] == 99.0 and meta["normalisation"] == "channel"
    assert meta["reset"] == "subtract" and meta["input"] == "analog" and meta["approximations"] == []
    loaded = io.load(io.save(graph, tmp_path / "net.npz"))
    assert neuro.ir.equal(graph, loaded)
    a = neuro.simulate(neuro.compile_network(graph), encode.constant(x), timesteps=16)
    b = neuro.simulate(neuro.compile_network(loaded), encode.constant(x), timesteps=16)
    np.testing.assert_array_equal(a.spike_counts, b.spike_counts)


def test_config_is_range_checked():
    with pytest.raises(ValueError, match="percentile"):
        ConversionConfig(percentile=0)
    with pytest.raises(ValueError, match="normalisation"):
        ConversionConfig(normalisation="global")


class DepthwiseWithBatchNorm1d(nn.Module):
    """Depthwise and grouped convolutions, and a BatchNorm1d after a Linear layer."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(),
            nn.Conv2d(4, 4, 3, padding=1, groups=4), nn.BatchNorm2d(4), nn.ReLU(),  # depthwise
            nn.Conv2d(4, 8, 3, stride=2, padding=1, groups=2), nn.ReLU(),  # grouped, strided
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(8 * 16, 12), nn.BatchNorm1d(12), nn.ReLU(),
                                  nn.Linear(12, 10))

    def forward(self, x):
        return self.head(self.features(x))


def test_depthwise_grouped_and_batchnorm1d_convert_exactly():
    torch.manual_seed(4)
    model = _randomise_batchnorm(DepthwiseWithBatchNorm1d(), 4)
    x = _inputs("digits", 32, seed=4)
    graph = from_torch(model, x)
    assert graph.metadata["conversion"]["folded_batchnorm"] == ["features.3", "head.2"]
    with torch.no_grad():
        expected = model(torch.as_tensor(x, dtype=torch.float32)).double().numpy()
    np.testing.assert_allclose(analog.evaluate(graph, x).logits, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("normalisation", ["layer", "channel"])
@pytest.mark.parametrize("percentile", [99.9, 90.0, 100.0])
def test_thresholds_are_the_configured_percentile_of_the_positive_activations(normalisation, percentile):
    # computed here from torch's own ReLU outputs: a threshold from the maximum (or any other statistic)
    # instead of the configured percentile fails, as does one that counts the zeros
    torch.manual_seed(3)
    model = nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.Flatten(), nn.Linear(3 * 6 * 6, 4)).eval()
    x = np.random.default_rng(4).random((200, 1, 8, 8)) - 0.3
    graph = from_torch(model, x, ConversionConfig(percentile=percentile, normalisation=normalisation))
    with torch.no_grad():
        relu = torch.relu(model[0](torch.as_tensor(x, dtype=torch.float32))).numpy().astype(np.float64)
    hidden = graph.nodes[graph.populations[0]]
    if normalisation == "layer":
        expected = np.full(relu.shape[1:], np.percentile(relu[relu > 0], percentile))
    else:
        expected = np.stack([np.full(relu.shape[2:], np.percentile(relu[:, c][relu[:, c] > 0], percentile))
                             for c in range(3)])
    np.testing.assert_allclose(np.asarray(hidden.v_threshold).reshape(expected.shape), expected, rtol=1e-12)
    assert percentile == 100.0 or hidden.v_threshold.max() < relu.max()


class Residual(nn.Module):
    """A residual sum with torch.add's alpha, in the spellings a model may use."""

    def __init__(self, form: str):
        super().__init__()
        self.form = form
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.fc1, self.fc2 = nn.Linear(256, 32), nn.Linear(256, 32)
        self.fc = nn.Linear(256, 10)
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        h = F.relu(self.conv1(x))
        if self.form == "function":
            return self.fc(torch.flatten(F.relu(torch.add(h, self.conv2(h), alpha=3)), 1))
        if self.form == "method":
            return self.fc(torch.flatten(F.relu(h.add(self.conv2(h), alpha=-1)), 1))
        if self.form == "spikes scaled":  # the scaled operand is a population's output
            return self.fc(torch.flatten(F.relu(torch.add(self.conv2(h), h, alpha=0.5)), 1))
        flat = torch.flatten(h, 1)  # both operands weight layers, one of them flattened
        return self.head(F.relu(torch.add(self.fc1(flat), self.fc2(flat), alpha=2.5)))


@pytest.mark.parametrize("form", ["function", "method", "spikes scaled", "dense"])
def test_add_with_alpha_scales_its_branch_exactly(form):
    torch.manual_seed(5)
    model = Residual(form).eval()
    x = _inputs("digits", 32, seed=5)
    graph = from_torch(model, x)
    with torch.no_grad():
        expected = model(torch.as_tensor(x, dtype=torch.float32)).double().numpy()
    np.testing.assert_allclose(analog.evaluate(graph, x).logits, expected, rtol=1e-4, atol=1e-5)
    network = neuro.compile_network(graph)  # the scaled branch is a chip-shaped projection, too
    assert neuro.simulate(network, encode.constant(x[:2]), timesteps=4).spike_counts.sum() > 0


class Pooled(nn.Module):
    def __init__(self, pool):
        super().__init__()
        self.pool = pool
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        with torch.no_grad():
            features = pool(torch.zeros(1, 4, 8, 8)).numel()
        self.fc = nn.Linear(features, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(F.relu(self.conv(x))), 1))


@pytest.mark.parametrize("pool, argument", [
    (lambda h: F.avg_pool2d(h, 3, 2, 1, False, False), "count_include_pad=False"),
    (lambda h: F.avg_pool2d(h, 3, 2, 1, count_include_pad=False), "count_include_pad=False"),
    (lambda h: F.avg_pool2d(h, 3, 2, 1, True), "ceil_mode=True"),
    (lambda h: F.avg_pool2d(h, 3, 2, 1, ceil_mode=True), "ceil_mode=True"),
    (lambda h: F.avg_pool2d(h, 2, None, 0, False, True, 3), "divisor_override=3"),
    (nn.AvgPool2d(3, 2, 1, ceil_mode=True), "ceil_mode=True"),
    (nn.AvgPool2d(3, 2, 1, count_include_pad=False), "count_include_pad=False"),
    (lambda h: F.max_pool2d(h, 3, 2, 1, 1, True), "ceil_mode=True"),
    (lambda h: F.max_pool2d(h, 2, 2, 0, 2), "dilation=2"),
])
def test_pooling_arguments_are_refused_by_name_whether_positional_or_keyword(pool, argument):
    with pytest.raises(UnsupportedLayer, match=f"{argument} has no spiking rule"):
        from_torch(Pooled(pool), _inputs("digits", 4))


@pytest.mark.parametrize("pool", [lambda h: F.avg_pool2d(h, 3, 2, 1), lambda h: F.avg_pool2d(h, 3, padding=1, stride=2),
                                  lambda h: F.max_pool2d(h, 3, 2, 1), nn.AvgPool2d(3, 2, 1)])
def test_pooling_geometry_is_honoured_in_either_spelling(pool):
    torch.manual_seed(6)
    model = Pooled(pool).eval()
    x = _inputs("digits", 16, seed=6)
    with torch.no_grad():
        expected = model(torch.as_tensor(x, dtype=torch.float32)).double().numpy()
    np.testing.assert_allclose(analog.evaluate(from_torch(model, x), x).logits, expected, rtol=1e-4, atol=1e-5)


def test_functional_dropout_that_drops_at_inference_is_refused():
    model = Pooled(lambda h: F.dropout(h, 0.5))  # training defaults to True: it drops in eval mode too
    with pytest.raises(UnsupportedLayer, match="training=True"):
        from_torch(model, _inputs("digits", 4))
    from_torch(Pooled(lambda h: F.dropout(h, 0.5, training=False)), _inputs("digits", 4))


def test_every_rule_reads_parameters_that_its_functions_have():
    """Each functional and method rule binds to torch's signature, and names only real parameters."""
    from converters import rules

    parameters: dict[object, set] = {}
    for target, rule in [*rules.FUNCTION_RULES.items(), *rules.METHOD_RULES.items()]:
        function = rules._SAME_ARGUMENTS.get(target, target)
        if isinstance(function, str):
            continue  # view, reshape, contiguous: read off the traced shape
        signatures = rules._signatures(function)
        assert signatures, target
        parameters.setdefault(rule, set()).update(*(s.parameters for s in signatures))
    for rule, names in parameters.items():
        assert getattr(rule, "reads", frozenset()) <= names, rule


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_calibration_data_is_refused(bad):
    x = _inputs("digits", 8)
    everywhere, once = np.full_like(x, bad), x.copy()
    once[3, 0, 2, 5] = bad
    for calibration in (everywhere, once):  # all-NaN data used to give every threshold 1.0
        with pytest.raises(ValueError, match="NaN or infinite values"):
            from_torch(zoo.build("digits-cnn"), calibration)


def test_calibration_data_the_model_cannot_take_is_named_in_one_line():
    with pytest.raises(ValueError, match=r"calibration data shape \(1, 40\) does not match the model's input: "
                                         r"'features.0' \(Conv2d, which takes \(1, height, width\)\)") as error:
        from_torch(zoo.build("digits-cnn"), _inputs("mnist1d", 8))
    assert "\n" not in str(error.value)
    with pytest.raises(ValueError, match=r"shape \(1, 6, 6\) .* 'classifier.2' \(Linear, which takes \(256,\)\)"):
        from_torch(zoo.build("digits-cnn"), np.zeros((4, 1, 6, 6)))


def test_calibration_must_be_a_batch_of_at_least_one_sample():
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    assert from_torch(model, np.ones((1, 4))).populations  # one sample is a batch
    for bad in (np.ones(4), np.ones((0, 4))):
        with pytest.raises(ValueError, match="calibration must be a batch"):
            from_torch(model, bad)


class BatchNormAfterASharedConvOrAFunction(nn.Module):
    """A BatchNorm whose convolution feeds something else too, or that follows a function: neither folds."""

    def __init__(self, after_function: bool):
        super().__init__()
        self.after_function = after_function
        self.conv = nn.Conv2d(1, 2, 3, padding=1)
        self.norm = nn.BatchNorm2d(2)
        self.head = nn.Linear(2 * 8 * 8, 3)

    def forward(self, x):
        y = self.conv(x)
        z = F.relu(self.norm(F.relu(y))) if self.after_function else F.relu(self.norm(y)) + F.relu(y)
        return self.head(torch.flatten(z, 1))


@pytest.mark.parametrize("after_function", [False, True])
def test_a_batchnorm_that_cannot_be_folded_is_refused_with_where_to_move_it(after_function):
    model = _randomise_batchnorm(BatchNormAfterASharedConvOrAFunction(after_function), 5)
    with pytest.raises(UnsupportedLayer, match="right after a Conv/Linear"):
        from_torch(model, _inputs("digits", 8))


class MaxThenGlobalAverage(nn.Module):
    """A digits CNN whose head averages after a max-pool: MaxPool2d(2) -> F.adaptive_avg_pool2d(y, 1) -> Linear."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)  # 8x8 -> 4x4
        self.pool = nn.MaxPool2d(2)  # -> 2x2
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        y = self.pool(F.relu(self.conv2(F.relu(self.conv1(x)))))
        return self.fc(self.drop(torch.flatten(F.adaptive_avg_pool2d(y, 1), 1)))


def test_average_pooling_after_a_max_pool_converts_and_the_snn_follows_the_ann():
    torch.manual_seed(0)
    model = MaxThenGlobalAverage().eval()
    x = _inputs("digits", 32, seed=4)
    graph = from_torch(model, x, ConversionConfig(percentile=100.0))
    with torch.no_grad():
        expected = model(torch.as_tensor(x, dtype=torch.float32)).double().numpy()
    np.testing.assert_allclose(analog.evaluate(graph, x).logits, expected, rtol=1e-4, atol=1e-5)
    assert [type(graph.nodes[n]).__name__ for n in ("pool", "adaptive_avg_pool2d")] == ["MaxPool2d", "AvgPool2d"]
    net = neuro.compile_network(graph)
    timesteps = 256
    fast = neuro.simulate(net, encode.constant(x), timesteps=timesteps)
    slow = neuro.simulate(net, encode.constant(x[:4]), timesteps=timesteps, kernel="reference")
    np.testing.assert_allclose(fast.output_v[:4], slow.output_v, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(fast.counters.synops[:4], slow.counters.synops)
    # the membrane integrates the logits: over T steps it approaches T x the ANN's, within a few events' worth
    logits = (fast.output_v + fast.output_counts * graph.metadata["conversion"]["output_scale"]) / timesteps
    assert np.abs(logits - expected).max() < 0.05 * np.abs(expected).max()
    assert (logits.argmax(1) == expected.argmax(1)).mean() >= 0.95


class StridedResidual(nn.Module):
    """A ResNet down-sampling block: stride-2 3x3 convolution and a stride-2 1x1 conv + BN shortcut."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3, padding=1)
        self.conv1 = nn.Conv2d(4, 8, 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.shortcut = nn.Sequential(nn.Conv2d(4, 8, 1, stride=2, bias=False), nn.BatchNorm2d(8))
        self.head = nn.Linear(8, 10)

    def forward(self, x):
        x = F.relu(self.stem(x))
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.shortcut(x) + self.bn2(self.conv2(y)))
        return self.head(torch.flatten(nn.functional.adaptive_avg_pool2d(y, 1), 1))


def test_stride_2_residual_shortcut_with_batchnorm_folds_and_converts_exactly():
    torch.manual_seed(1)
    model = _randomise_batchnorm(StridedResidual(), 2)
    x = _inputs("digits", 16, seed=5)
    graph = from_torch(model, x)
    assert set(graph.metadata["conversion"]["folded_batchnorm"]) == {"bn1", "bn2", "shortcut.1"}
    assert graph.nodes["shortcut_0"].stride == (2, 2) and graph.nodes["conv1"].stride == (2, 2)
    with torch.no_grad():
        expected = model(torch.as_tensor(x, dtype=torch.float32)).double().numpy()
    np.testing.assert_allclose(analog.evaluate(graph, x).logits, expected, rtol=1e-4, atol=1e-5)


def test_signed_conversion_keeps_gate_feeding_and_output_populations_unsigned_and_records_the_layers():
    torch.manual_seed(3)
    model = nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
                          nn.Linear(16, 5)).eval()
    # per-channel thresholds, so that a layer's smallest and largest differ
    graph = from_torch(model, _inputs("digits"), ConversionConfig(signed=True, normalisation="channel"))
    conversion = graph.metadata["conversion"]
    populations = list(graph.populations)
    gated = [p for p in populations if any(s == p and type(graph.nodes[t]).__name__ == "MaxPool2d"
                                           for s, t in graph.edges)]
    output = conversion["output_population"]
    assert len(gated) == 1 and output in populations and len(populations) == 3
    hidden = [p for p in populations if p not in (*gated, output)]
    assert conversion["signed"] is True and conversion["signed_populations"] == hidden
    assert all(graph.nodes[p].signed == (p in hidden) for p in populations)
    # each layer's record gives the extremes of its thresholds, and the output scale is the output's largest
    for layer in conversion["layers"]:
        threshold = graph.nodes[layer["population"]].v_threshold
        assert (layer["threshold_min"], layer["threshold_max"]) == (threshold.min(), threshold.max())
        assert threshold.min() < threshold.max()
        assert layer["neurons"] == threshold.size
    assert conversion["output_scale"] == graph.nodes[output].v_threshold.max() > graph.nodes[output].v_threshold.min()
    unsigned = from_torch(model, _inputs("digits"))
    assert "signed_populations" not in unsigned.metadata["conversion"]
    assert not any(unsigned.nodes[p].signed for p in unsigned.populations)


@pytest.mark.parametrize("padding, dilation, expected", [("same", 1, (1, 1)), ("same", 2, (2, 2)),
                                                         ("valid", 1, (0, 0))])
def test_string_padding_becomes_the_numbers_torch_uses(padding, dilation, expected):
    torch.manual_seed(4)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=padding, dilation=dilation), nn.ReLU(), nn.Flatten(),
                          nn.LazyLinear(3))
    model(torch.zeros(1, 1, 8, 8))  # materialise the lazy layer
    model.eval()
    x = _inputs("digits", 16)
    graph = _reads_as_the_model(model, x)
    (conv,) = [node for node in graph.nodes.values() if type(node).__name__ == "Conv2d"]
    assert tuple(conv.padding) == expected
    strided = nn.Sequential(nn.Conv2d(1, 2, 3, stride=2, padding="valid"), nn.ReLU(), nn.Flatten(),
                            nn.Linear(18, 3)).eval()
    assert from_torch(strided, x) is not None  # "valid" converts at any stride; "same" only at stride 1


def test_per_channel_thresholds_are_constant_over_each_channels_positions():
    torch.manual_seed(5)
    model = nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(192, 4)).eval()
    graph = from_torch(model, _inputs("digits"), ConversionConfig(normalisation="channel"))
    first = graph.nodes[next(iter(graph.populations))].v_threshold
    assert first.shape == (3, 8, 8)
    per_channel = first.reshape(3, -1)
    assert np.all(per_channel == per_channel[:, :1]) and len(np.unique(per_channel[:, 0])) == 3


class _ConvThen(nn.Module):
    """conv -> relu -> ``tail`` (a module or function of the activation) -> flatten -> a lazy linear head;
    a 1-D convolution with ``one_d``, for (1, 40) signals, else a 2-D one for 8x8 digits."""

    def __init__(self, tail, one_d: bool = False):
        super().__init__()
        self.conv = nn.Conv1d(1, 3, 3, padding=1) if one_d else nn.Conv2d(1, 2, 3, padding=1)
        self.tail, self.head = tail, nn.LazyLinear(4 if one_d else 3)
        self(torch.zeros(1, 1, 40) if one_d else torch.zeros(1, 1, 8, 8))  # materialise the lazy head
        self.eval()

    def forward(self, x):
        return self.head(torch.flatten(self.tail(F.relu(self.conv(x))), 1))


@pytest.mark.parametrize("pool", [nn.AvgPool1d(2), nn.MaxPool1d(2), nn.AdaptiveAvgPool1d(5),
                                  lambda y: F.avg_pool1d(y, 4), lambda y: F.max_pool1d(y, 4),
                                  lambda y: F.adaptive_avg_pool1d(y, 8)],
                         ids=["AvgPool1d", "MaxPool1d", "AdaptiveAvgPool1d", "avg_pool1d", "max_pool1d",
                              "adaptive_avg_pool1d"])
def test_one_dimensional_pooling_in_either_form_reads_as_the_model(pool):
    torch.manual_seed(6)
    graph = _reads_as_the_model(_ConvThen(pool, one_d=True), _inputs("mnist1d", 16))
    assert all(type(n).__name__.endswith("1d") for n in graph.nodes.values() if "Pool" in type(n).__name__)


@pytest.mark.parametrize("tail", [lambda y: F.adaptive_avg_pool2d(y, (None, 2)),
                                  lambda y: F.max_pool2d(y, 2, []),
                                  lambda y: F.dropout(y, 0.0, True)],
                         ids=["adaptive-none", "stride-empty-list", "dropout-p0-training"])
def test_edge_spellings_of_pooling_and_dropout_read_as_the_model(tail):
    # output size None keeps that dimension; stride [] means the kernel (torch's own default); dropout with
    # p = 0 drops nothing even in training mode, so it converts
    torch.manual_seed(7)
    _reads_as_the_model(_ConvThen(tail), _inputs("digits", 16))


def test_adaptive_pooling_to_a_size_that_does_not_divide_the_input_is_refused():
    model = _ConvThen(lambda y: F.adaptive_avg_pool2d(y, 3))
    with pytest.raises(UnsupportedLayer, match=r"input size \(8, 8\) is not a multiple of the output size \(3, 3\)"):
        from_torch(model, _inputs("digits", 16))


def test_per_channel_scales_pass_through_a_max_pool_gate_and_a_grouped_convolution_exactly():
    # per-channel thresholds reach the next layer's weights through a spiking max-pool (its gate keeps each
    # channel's scale) and through a grouped convolution (each output channel reads its group's inputs)
    torch.manual_seed(8)
    # 6 channels on a 4x4 map after pooling: a per-channel scale laid along the wrong axis cannot broadcast
    model = nn.Sequential(nn.Conv2d(1, 6, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(6, 4, 3, padding=1, groups=2), nn.ReLU(), nn.Flatten(), nn.Linear(64, 3)).eval()
    x = _inputs("digits", 32)
    graph = _reads_as_the_model(model, x, ConversionConfig(normalisation="channel"))
    assert len(np.unique(graph.nodes[next(iter(graph.populations))].v_threshold)) == 6
