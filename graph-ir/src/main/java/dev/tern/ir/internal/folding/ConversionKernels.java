package dev.tern.ir.internal.folding;

import dev.tern.ir.Attribute;
import dev.tern.ir.AttributeType;
import dev.tern.ir.ElementType;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Constant (its dense {@code value}, {@code value_float(s)}, {@code value_int(s)} and
 * {@code value_string(s)}; a {@code sparse_value} is not folded) and Cast between FLOAT,
 * DOUBLE, INT32 and INT64 (floating to integer truncates toward zero; a NaN, an infinity or a value
 * out of the target's range is not folded, C++ leaves those undefined). A Cast to the tensor's own type folds for every type.
 */
final class ConversionKernels {
    private ConversionKernels() {
    }

    static Optional<List<Tensor>> constant(Node node, List<Tensor> inputs) {
        Map<String, Attribute> attributes = node.attributes();
        if (attributes.size() != 1) {
            return Optional.empty();
        }
        Attribute attribute = attributes.values().iterator().next();
        if (attribute.isReference()) {
            return Optional.empty();
        }
        Tensor value = switch (attribute.name()) {
            case "value" -> attribute.type() == AttributeType.TENSOR ? attribute.asTensor().withName("") : null;
            case "value_float" -> Tensor.ofFloats("", new long[0], attribute.asFloat());
            case "value_floats" -> Tensor.ofFloats("", new long[] {attribute.asFloats().length}, attribute.asFloats());
            case "value_int" -> Tensor.ofLongs("", new long[0], attribute.asInt());
            case "value_ints" -> Tensor.ofLongs("", new long[] {attribute.asInts().length}, attribute.asInts());
            case "value_string" -> Tensor.ofStrings("", new long[0], List.of(attribute.asBytes()));
            case "value_strings" -> Tensor.ofStrings("", new long[] {attribute.asByteStrings().size()},
                    attribute.asByteStrings());
            default -> null;
        };
        return Optional.ofNullable(value).map(List::of);
    }

    static Optional<List<Tensor>> cast(Node node, List<Tensor> inputs) {
        Tensor x = inputs.get(0);
        Optional<Attribute> to = node.attribute("to");
        if (to.isEmpty() || to.get().isReference()) {
            return Optional.empty();
        }
        ElementType target = ElementType.fromOnnxCode(Math.toIntExact(to.get().asInt()));
        if (target == x.elementType()) {
            return Optional.of(List.of(x.withName("")));
        }
        if (!Numbers.isArithmetic(x.elementType()) || !Numbers.isArithmetic(target)) {
            return Optional.empty();
        }
        if (Numbers.isFloating(target)) {
            return Optional.of(List.of(Numbers.fromDoubles(target, x.dims(), Numbers.doubles(x))));
        }
        if (!Numbers.isFloating(x.elementType())) {
            return Optional.of(List.of(Numbers.fromLongs(target, x.dims(), Numbers.longs(x))));
        }
        double[] values = Numbers.doubles(x);
        if (Arrays.stream(values).anyMatch(value -> !fitsAfterTruncation(value, target))) {
            return Optional.empty();
        }
        long[] truncated = Arrays.stream(values).mapToLong(value -> (long) value).toArray();
        return Optional.of(List.of(Numbers.fromLongs(target, x.dims(), truncated)));
    }

    /** Whether {@code value} truncated toward zero is a value of {@code target}; C++ leaves the rest undefined. */
    private static boolean fitsAfterTruncation(double value, ElementType target) {
        double limit = target == ElementType.INT32 ? 0x1p31 : 0x1p63;
        return Double.isFinite(value) && value > -limit - 1 && value < limit;
    }
}
