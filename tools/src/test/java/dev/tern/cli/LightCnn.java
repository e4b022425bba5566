package dev.tern.cli;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small CNN the way ONNX's weight-stripped model-zoo models look (onnx's
 * {@code replace_initializer_by_constant_of_shape}): IR version 3, opset 9, every Conv and Gemm
 * weight and bias a ConstantOfShape over an int64 shape initializer, and, as IR 3 demands, every
 * initializer also listed among the graph inputs. The classifier head flattens with PyTorch's
 * {@code x.view(x.size(0), -1)}: a Reshape to {@code Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])}.
 *
 * <p>data [N, 3, H, W] → Conv 3x3 (16) → BatchNormalization → Relu → MaxPool 2x2 → Conv 3x3 (32)
 * → Relu → GlobalAveragePool → Reshape [N, 32] → Gemm (10) → Softmax.
 */
final class LightCnn {
    private final GraphBuilder g = GraphBuilder.create("light_cnn");
    private final List<Value> initializers = new ArrayList<>();

    private LightCnn() {
    }

    /** The model with input {@code data [N, 3, height, width]}. */
    static Model build(Dim height, Dim width) {
        return new LightCnn().model(height, width);
    }

    private Model model(Dim height, Dim width) {
        Value data = g.input("data", ElementType.FLOAT, Dim.of("N"), Dim.of(3), height, width);
        Value conv1 = conv("conv1", data, 16, 3);
        Value normalized = g.node("BatchNormalization").name("bn1")
                .inputs(conv1, parameter("bn1_scale", 16), parameter("bn1_bias", 16),
                        parameter("bn1_mean", 16), parameter("bn1_var", 16))
                .output("bn1_out");
        Value relu1 = g.node("Relu").name("relu1").inputs(normalized).output("relu1_out");
        Value pooled = g.node("MaxPool").name("pool1").inputs(relu1)
                .ints("kernel_shape", 2, 2).ints("strides", 2, 2).output("pool1_out");
        Value relu2 = g.node("Relu").name("relu2").inputs(conv("conv2", pooled, 32, 16)).output("relu2_out");
        Value features = g.node("GlobalAveragePool").name("gap").inputs(relu2).output("gap_out");
        Value flat = g.node("Reshape").name("flatten").inputs(features, batchByRest(features)).output("flat");
        Value logits = g.node("Gemm").name("fc").inputs(flat, stripped("fc_w", 10, 32), stripped("fc_b", 10))
                .attr("transB", 1L).output("logits");
        g.output(g.node("Softmax").name("prob").inputs(logits).output("prob"));
        Model model = g.toModel(9);
        initializers.forEach(model.graph()::addInput);
        model.setIrVersion(3);
        return model;
    }

    private Value conv(String name, Value input, long channels, long inputChannels) {
        return g.node("Conv").name(name)
                .inputs(input, stripped(name + "_w", channels, inputChannels, 3, 3), stripped(name + "_b", channels))
                .ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1).output(name + "_out");
    }

    /** A weight of {@code dims} made by ConstantOfShape, as the light models replace their initializers. */
    private Value stripped(String name, long... dims) {
        Value shape = initializer(Tensor.ofLongs(name + "__SHAPE", new long[] {dims.length}, dims));
        return g.node("ConstantOfShape").name(name + "_fill").inputs(shape)
                .attr("value", Tensor.ofFloats("", new long[] {1}, 0.5f)).output(name);
    }

    /** A small float initializer, which the light models keep as it is. */
    private Value parameter(String name, int size) {
        float[] ones = new float[size];
        Arrays.fill(ones, 1);
        return initializer(Tensor.ofFloats(name, new long[] {size}, ones));
    }

    /** {@code [x.size(0), -1]} computed in the graph. */
    private Value batchByRest(Value x) {
        Value shape = g.node("Shape").name("flatten_shape").inputs(x).output("flatten_shape_out");
        Value batch = g.node("Gather").name("flatten_batch")
                .inputs(shape, initializer(Tensor.ofLongs("zero", new long[0], 0))).output("flatten_batch_out");
        Value batchVector = g.node("Unsqueeze").name("flatten_unsqueeze").inputs(batch).ints("axes", 0)
                .output("flatten_unsqueeze_out");
        return g.node("Concat").name("flatten_target")
                .inputs(batchVector, initializer(Tensor.ofLongs("minus_one", new long[] {1}, -1)))
                .attr("axis", 0L).output("flatten_target_out");
    }

    private Value initializer(Tensor tensor) {
        Value value = g.initializer(tensor);
        initializers.add(value);
        return value;
    }
}
