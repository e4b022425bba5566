package dev.tern.compress.quantize.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites Conv, MatMul and Gemm into ONNX Runtime's QDQ format, one node at a time: each float
 * activation the node reads or writes passes through a QuantizeLinear/DequantizeLinear pair
 * (one pair per tensor, shared by every reader), the weight is stored as int8 and read through
 * a DequantizeLinear, and a Conv's or Gemm's 1-D bias is stored as int32 with scale
 * {@code input_scale * weight_scale} and zero point 0. ONNX Runtime recognizes these groups and
 * runs them as QLinearConv and QLinearMatMul kernels.
 *
 * <p>{@link #forTraining} rewrites for quantization-aware training instead: the activations get
 * the same pairs, but the weight stays a trainable float read through a fake quantization of its
 * current value ({@link LiveWeightQuantizer}) and the bias stays float.
 */
public final class QdqRewriter {
    private final Graph graph;
    private final NodeEmitter emit;
    private final Map<String, AffineParams> activations;
    private final boolean perChannel;
    /** Null when weights are stored as int8; the fake quantization of live weights for training otherwise. */
    private final LiveWeightQuantizer liveWeights;
    /** The dequantized value standing for each float activation already quantized, by its name. */
    private final Map<String, Value> dequantized = new HashMap<>();
    /** The parameters each dequantized value was made with, so a bias can be scaled by its input's. */
    private final Map<Value, AffineParams> paramsOf = new HashMap<>();

    /**
     * @param activations the quantization parameters of every activation a target reads or writes, by name
     * @param perChannel whether weights get one scale per output channel
     */
    public QdqRewriter(Graph graph, Map<String, AffineParams> activations, boolean perChannel) {
        this(graph, activations, perChannel, -1);
    }

    /**
     * @param opset the graph's default-domain opset, or -1 to store weights as int8
     */
    private QdqRewriter(Graph graph, Map<String, AffineParams> activations, boolean perChannel, long opset) {
        this.graph = graph;
        this.emit = new NodeEmitter(GraphEditor.of(graph));
        this.activations = Map.copyOf(activations);
        this.perChannel = perChannel;
        this.liveWeights = opset < 0 ? null : new LiveWeightQuantizer(emit, opset);
    }

    /**
     * A rewriter for quantization-aware training: weights stay float and are fake-quantized from
     * their current value at every run; biases stay float.
     *
     * @param opset the graph's default-domain opset (how ReduceMax takes its axes)
     */
    public static QdqRewriter forTraining(Graph graph, Map<String, AffineParams> activations, boolean perChannel,
                                          long opset) {
        return new QdqRewriter(graph, activations, perChannel, opset);
    }

    /**
     * The names of the activations {@code node} (a target of {@link Targets#qdq}, whose second
     * input is always a constant weight) reads and writes.
     */
    public static List<String> activationNames(Node node) {
        return List.of(node.input(0).name(), node.output(0).name());
    }

    /** Rewrites a node chosen by {@link Targets#qdq}. */
    public void rewrite(Node node) {
        String base = NodeEmitter.baseName(node);
        emit.editor().insertBefore(node);
        Value input = activation(node.input(0));
        node.setInput(0, input);
        // A transB Gemm's weight is quantized as stored, [N, K], so its output axis is 0.
        int axis = perChannel ? channelAxis(node) : -1;
        if (liveWeights != null) {
            node.setInput(1, liveWeights.fakeQuantized(base, node.input(1), axis));
        } else {
            QuantizedWeight weight = QuantizedWeight.of(node.input(1).initializer(), axis);
            node.setInput(1, dequantizedWeight(base, weight));
            if (hasQuantizableBias(node)) {
                node.setInput(2, dequantizedBias(base, node.input(2).initializer(), paramsOf.get(input), weight));
            }
        }
        emit.editor().insertAfter(node);
        quantizeOutput(node.output(0));
    }

    /** Removes the float weights and biases nothing reads any more. Call once after the last rewrite. */
    public void removeUnreadFloatWeights() {
        for (Value initializer : List.copyOf(graph.initializers().values())) {
            if (!initializer.isUsed() && Weights.isConstantFloat(graph, initializer)) {
                graph.removeInitializer(initializer.name());
            }
        }
    }

    /**
     * The dequantized stand-in for an activation read by a target, made at the insertion point
     * once; an activation that already is one (an earlier target's quantized output) stays.
     */
    private Value activation(Value floatValue) {
        if (paramsOf.containsKey(floatValue)) {
            return floatValue;
        }
        Value existing = dequantized.get(floatValue.name());
        return existing != null ? existing : pair(floatValue);
    }

    /** QuantizeLinear then DequantizeLinear of {@code floatValue}, at the insertion point. */
    private Value pair(Value floatValue) {
        AffineParams params = activations.get(floatValue.name());
        if (params == null) {
            throw new IllegalStateException("activation '" + floatValue.name() + "' has no calibrated range");
        }
        String base = floatValue.name();
        Value scale = emit.initializer(base, "scale", Tensor.ofFloats("scale", new long[0], params.scale()));
        Value zeroPoint = emit.initializer(base, "zero_point", zeroPointTensor(params));
        Value quantized = emit.op(base, "QuantizeLinear", "QuantizeLinear", floatValue, scale, zeroPoint);
        Value result = emit.op(base, "DequantizeLinear", "DequantizeLinear", quantized, scale, zeroPoint);
        dequantized.put(floatValue.name(), result);
        paramsOf.put(result, params);
        return result;
    }

    /**
     * Quantizes a target's output right after it, and makes every reader (graph outputs too, which
     * keep their name) read the dequantized value.
     */
    private void quantizeOutput(Value output) {
        if (dequantized.containsKey(output.name())) {
            return;
        }
        List<Value.Use> readers = List.copyOf(output.uses());
        List<Integer> graphOutputs = new ArrayList<>();
        for (int i = 0; i < graph.outputs().size(); i++) {
            if (graph.outputs().get(i) == output) {
                graphOutputs.add(i);
            }
        }
        Value result = pair(output);
        readers.forEach(use -> use.node().setInput(use.inputIndex(), result));
        if (!graphOutputs.isEmpty()) {
            String name = output.name();
            output.rename(emit.editor().freshName(name + "/float"));
            dequantized.put(output.name(), result);
            result.rename(name);
            graphOutputs.forEach(index -> graph.setOutput(index, result));
        }
    }

    private Value dequantizedWeight(String base, QuantizedWeight weight) {
        Value values = emit.initializer(base, "weight_quantized", weight.values());
        Value scale = emit.initializer(base, "weight_scale", weight.scaleTensor("scale"));
        Value zeroPoint = emit.initializer(base, "weight_zero_point", weight.zeroPointTensor("zero_point"));
        return emit.node(base, "weight/DequantizeLinear", "DequantizeLinear", List.of(values, scale, zeroPoint), 1,
                axisAttributes(weight)).output(0);
    }

    /** The bias as int32 in steps of input scale times weight scale (per channel when the weight is). */
    private Value dequantizedBias(String base, Tensor bias, AffineParams input, QuantizedWeight weight) {
        float[] values = bias.toFloatArray();
        float[] weightScales = weight.scales();
        float[] scales = new float[weightScales.length];
        for (int c = 0; c < scales.length; c++) {
            scales[c] = input.scale() * weightScales[c];
        }
        int[] quantized = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double q = Math.rint(values[i] / (double) scales[scales.length == 1 ? 0 : i]);
            quantized[i] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, q));
        }
        Value stored = emit.initializer(base, "bias_quantized", Weights.int32("bias", bias.dims(), quantized));
        long[] scaleDims = scales.length == 1 ? new long[0] : new long[] {scales.length};
        Value scale = emit.initializer(base, "bias_scale", Tensor.ofFloats("scale", scaleDims, scales));
        Value zeroPoint = emit.initializer(base, "bias_zero_point", Weights.int32("zero_point", scaleDims,
                new int[scales.length]));
        return emit.node(base, "bias/DequantizeLinear", "DequantizeLinear", List.of(stored, scale, zeroPoint), 1,
                axisAttributes(weight.axis() < 0 ? -1 : 0)).output(0);
    }

    private static Attribute[] axisAttributes(QuantizedWeight weight) {
        return axisAttributes(weight.axis());
    }

    private static Attribute[] axisAttributes(int axis) {
        return axis < 0 ? new Attribute[0] : new Attribute[] {Attribute.ofInt("axis", axis)};
    }

    /** One uint8 or int8 zero point; the low byte holds either, as ONNX stores both. */
    private static Tensor zeroPointTensor(AffineParams params) {
        return Tensor.of("zero_point", params.type().elementType(), new long[0],
                ByteBuffer.wrap(new byte[] {(byte) params.zeroPoint()}));
    }

    /** The output-channel axis of the weight: 0 for Conv and a transB Gemm, 1 for MatMul and Gemm. */
    private static int channelAxis(Node node) {
        return switch (node.opType()) {
            case "Conv" -> 0;
            case "Gemm" -> node.attribute("transB").map(a -> a.asInt() != 0).orElse(false) ? 0 : 1;
            default -> 1;
        };
    }

    /**
     * Whether a bias can be stored as int32 in the product scale: a Conv's, or a Gemm's 1-D C
     * with beta 1 and alpha 1 (ONNX Runtime's QGemm takes no other).
     */
    private static boolean hasQuantizableBias(Node node) {
        if (node.inputs().size() < 3 || node.input(2) == null) {
            return false;
        }
        if (node.opType().equals("Conv")) {
            return true;
        }
        return node.opType().equals("Gemm") && node.input(2).initializer().rank() == 1
                && node.attribute("alpha").map(Attribute::asFloat).orElse(1f) == 1f
                && node.attribute("beta").map(Attribute::asFloat).orElse(1f) == 1f;
    }
}
