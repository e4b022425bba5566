package dev.tern.train.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Value;

/**
 * QuantizeLinear and DequantizeLinear as fake quantization, for quantization-aware training.
 * A quantized value q stands for the real number scale (q - zero_point), so it carries a real
 * gradient although its elements are integers. Rounding has a zero derivative almost
 * everywhere; the straight-through estimator (Bengio et al. 2013, as in PyTorch's
 * FakeQuantize) takes it as 1 wherever the value was not clamped to the integer range:
 *
 * <ul>
 *   <li>DequantizeLinear y = scale (q - zp): dL/dq = scale dL/dy;</li>
 *   <li>QuantizeLinear q = clamp(round(x / scale) + zp): dL/dx = dL/dq / scale where
 *       round(x / scale) + zp lies in the range of q's type, else 0.</li>
 * </ul>
 *
 * A QuantizeLinear followed by a DequantizeLinear with the same scale therefore passes dL/dy
 * straight through inside the range and nothing outside it. Scales and zero points take no
 * gradient. Per-tensor and per-axis quantization are covered; blocked quantization
 * (block_size) is refused.
 */
final class QuantizationRules {
    private QuantizationRules() {
    }

    static void register(GradientRules rules) {
        rules.put("QuantizeLinear", GradientRule.forInputs(new int[] {0}, QuantizationRules::quantize)
                .withIntegerOutputsCarryingGradients());
        rules.put("DequantizeLinear", GradientRule.forInputs(new int[] {0}, QuantizationRules::dequantize));
    }

    private static void quantize(RuleContext c) {
        Ops ops = c.ops();
        Value x = c.input(0);
        Value scale = broadcastable(c, c.input(1), x);
        ElementType quantized = ValueTypes.elementType(c.output(0));
        Value level = ops.op("Round", ops.div(x, scale));
        if (c.input(2) != null) {
            level = ops.add(level, ops.cast(broadcastable(c, c.input(2), x), ValueTypes.elementType(x)));
        }
        Value aboveMin = ops.op("Not", ops.op("Less", level, ops.scalarLike(minimum(c, quantized), x)));
        Value belowMax = ops.op("Not", ops.op("Greater", level, ops.scalarLike(maximum(c, quantized), x)));
        Value unclamped = ops.op("And", aboveMin, belowMax);
        Value passed = ops.div(c.gradient(), scale);
        c.give(0, ops.op("Where", unclamped, passed, ops.scalarLike(0, x)));
    }

    private static void dequantize(RuleContext c) {
        Value y = c.output(0);
        c.give(0, c.ops().mul(c.gradient(), broadcastable(c, c.input(1), y)));
    }

    /**
     * A scale or zero point, shaped to broadcast against {@code like}: as it is when it is a
     * scalar, a 1-D per-axis vector given trailing unit axes after the node's {@code axis}.
     */
    private static Value broadcastable(RuleContext c, Value parameter, Value like) {
        if (c.intAttribute("block_size", 0) != 0) {
            throw c.unsupported("blocked quantization (block_size " + c.intAttribute("block_size", 0)
                    + ") has no straight-through rule; use per-tensor or per-axis scales");
        }
        int rank = ValueTypes.rank(like);
        if (ValueTypes.rank(parameter) == 0 || rank <= 1) {
            return parameter;
        }
        int axis = ValueTypes.axis(c.intAttribute("axis", 1), rank);
        long[] trailing = new long[rank - 1 - axis];
        for (int i = 0; i < trailing.length; i++) {
            trailing[i] = i + 1;
        }
        return trailing.length == 0 ? parameter : c.ops().unsqueeze(parameter, trailing);
    }

    private static double minimum(RuleContext c, ElementType quantized) {
        return switch (quantized) {
            case INT8 -> Byte.MIN_VALUE;
            case UINT8, UINT16, UINT4 -> 0;
            case INT16 -> Short.MIN_VALUE;
            case INT4 -> -8;
            default -> throw unsupportedType(c, quantized);
        };
    }

    private static double maximum(RuleContext c, ElementType quantized) {
        return switch (quantized) {
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 255;
            case INT16 -> Short.MAX_VALUE;
            case UINT16 -> 65535;
            case INT4 -> 7;
            case UINT4 -> 15;
            default -> throw unsupportedType(c, quantized);
        };
    }

    private static RuntimeException unsupportedType(RuleContext c, ElementType quantized) {
        return c.unsupported("quantizing to " + quantized + " has no straight-through rule; expected INT8, UINT8,"
                + " INT16, UINT16, INT4 or UINT4");
    }
}
