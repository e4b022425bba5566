package dev.tern.compress.quantize.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Fake quantization of a trainable float weight, for quantization-aware training: the weight
 * passes through QuantizeLinear and DequantizeLinear whose symmetric int8 scale is computed in
 * the graph from the weight itself ({@code max |w| / 127}, per tensor or per channel), so
 * every training step sees the weight exactly as {@link QuantizedWeight} would store it then, and
 * the straight-through gradient reaches the float weight. An all-zero slice gets the smallest
 * normal float as its scale instead of {@link AffineParams}' 1; either way its values quantize to 0.
 */
final class LiveWeightQuantizer {
    /** ReduceMax takes its axes as an input from opset 18 on, as an attribute before. */
    private static final long AXES_AS_INPUT_OPSET = 18;

    private final NodeEmitter emit;
    private final long opset;

    LiveWeightQuantizer(NodeEmitter emit, long opset) {
        this.emit = emit;
        this.opset = opset;
    }

    /**
     * The dequantized stand-in for {@code weight}, added at the insertion point under names
     * starting with {@code base}.
     *
     * @param axis the channel axis with a scale each, or -1 for one scale
     */
    Value fakeQuantized(String base, Value weight, int axis) {
        Value scale = scale(base, weight, axis);
        long[] scaleDims = axis < 0 ? new long[0] : new long[] {weight.initializer().dims()[axis]};
        Value zeroPoint = emit.initializer(base, "weight_zero_point", Tensor.zeros("zero_point", ElementType.INT8,
                scaleDims));
        Attribute[] axisAttribute = axis < 0 ? new Attribute[0] : new Attribute[] {Attribute.ofInt("axis", axis)};
        Value quantized = emit.node(base, "weight/QuantizeLinear", "QuantizeLinear",
                List.of(weight, scale, zeroPoint), 1, axisAttribute).output(0);
        return emit.node(base, "weight/DequantizeLinear", "DequantizeLinear", List.of(quantized, scale, zeroPoint), 1,
                axisAttribute).output(0);
    }

    private Value scale(String base, Value weight, int axis) {
        Value magnitude = emit.op(base, "weight/Abs", "Abs", weight);
        Value absMax = reduceMax(base, magnitude, otherAxes(weight.initializer().rank(), axis));
        Value levels = emit.initializer(base, "weight_levels", Tensor.ofFloats("levels", new long[0],
                QuantType.INT8.max()));
        Value smallest = emit.initializer(base, "weight_smallest_scale", Tensor.ofFloats("smallest", new long[0],
                Float.MIN_NORMAL));
        Value scale = emit.op(base, "weight/scale", "Div", absMax, levels);
        return emit.op(base, "weight/nonzero_scale", "Max", scale, smallest);
    }

    /** The maximum over {@code axes} (every axis when {@code axes} is null), without them. */
    private Value reduceMax(String base, Value magnitude, long[] axes) {
        List<Value> inputs = new ArrayList<>(List.of(magnitude));
        List<Attribute> attributes = new ArrayList<>(List.of(Attribute.ofInt("keepdims", 0)));
        if (axes != null && opset >= AXES_AS_INPUT_OPSET) {
            inputs.add(emit.initializer(base, "weight_axes", Tensor.ofLongs("axes", new long[] {axes.length}, axes)));
        } else if (axes != null) {
            attributes.add(Attribute.ofInts("axes", axes));
        }
        return emit.node(base, "weight/ReduceMax", "ReduceMax", inputs, 1, attributes.toArray(new Attribute[0]))
                .output(0);
    }

    /** Every axis of a tensor of {@code rank} but {@code axis}; null when {@code axis} is -1 (reduce them all). */
    private static long[] otherAxes(int rank, int axis) {
        if (axis < 0) {
            return null;
        }
        long[] axes = new long[rank - 1];
        int next = 0;
        for (int d = 0; d < rank; d++) {
            if (d != axis) {
                axes[next++] = d;
            }
        }
        return axes;
    }
}
