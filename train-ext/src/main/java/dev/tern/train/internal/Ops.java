package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The ops gradient rules are written in, each emitted in the form the model's default-domain
 * opset defines: axes of ReduceSum, Squeeze and Unsqueeze and the sizes of Split are
 * attributes before opset 13 and inputs from it; ReduceMean's axes become an input at 18;
 * Slice's bounds at 10; Pad's pads at 11.
 */
final class Ops {
    private final GraphEmitter emitter;
    private final long opset;

    Ops(GraphEmitter emitter, long opset) {
        this.emitter = emitter;
        this.opset = opset;
    }

    long opset() {
        return opset;
    }

    /** The version of the default domain (written "" or "ai.onnx") {@code model} imports, if any. */
    static OptionalLong defaultOpset(Model model) {
        Long version = model.opsetImports().get("");
        if (version == null) {
            version = model.opsetImports().get("ai.onnx");
        }
        return version == null ? OptionalLong.empty() : OptionalLong.of(version);
    }

    GraphEmitter emitter() {
        return emitter;
    }

    Value op(String opType, List<Attribute> attributes, Value... inputs) {
        return emitter.op(opType, attributes, inputs);
    }

    Value op(String opType, Value... inputs) {
        return emitter.op(opType, inputs);
    }

    Value add(Value a, Value b) {
        return op("Add", a, b);
    }

    Value sub(Value a, Value b) {
        return op("Sub", a, b);
    }

    Value mul(Value a, Value b) {
        return op("Mul", a, b);
    }

    Value div(Value a, Value b) {
        return op("Div", a, b);
    }

    Value neg(Value a) {
        return op("Neg", a);
    }

    /** A rank-0 constant with the element type of {@code like}. */
    Value scalarLike(double value, Value like) {
        return emitter.scalar(value, ValueTypes.elementType(like));
    }

    Value int64s(long... values) {
        return emitter.int64s(values);
    }

    Value shape(Value x) {
        return op("Shape", x);
    }

    /** Zeros of {@code x}'s shape and element type, sized at run time. */
    Value zerosLike(Value x) {
        return op("Expand", scalarLike(0, x), shape(x));
    }

    /** {@code g} reshaped to {@code x}'s run-time shape. */
    Value reshapeLike(Value g, Value x) {
        return op("Reshape", g, shape(x));
    }

    /** {@code g} broadcast to {@code x}'s run-time shape. */
    Value expandLike(Value g, Value x) {
        return op("Expand", g, shape(x));
    }

    Value cast(Value x, ElementType to) {
        return op("Cast", List.of(Attribute.ofInt("to", to.onnxCode())), x);
    }

    Value transpose(Value x, long... perm) {
        return op("Transpose", List.of(Attribute.ofInts("perm", perm)), x);
    }

    /** Dimension {@code axis} of {@code x} at run time, as a one-element int64 vector. */
    Value dimension(Value x, long axis) {
        return op("Gather", List.of(Attribute.ofInt("axis", 0)), shape(x), int64s(axis));
    }

    /**
     * {@code g} times the element count of {@code a} over that of {@code b}: each count a
     * constant where the static shape gives it, else read at run time, so a scalar loss over a
     * batch of symbolic size costs one Size, one Cast and one Div. Constants take {@code b}'s
     * element type.
     */
    Value scaleBySizeRatio(Value g, Value a, Value b) {
        ElementType type = ValueTypes.elementType(b);
        OptionalLong numerator = knownElementCount(a);
        OptionalLong denominator = knownElementCount(b);
        if (numerator.isPresent() && denominator.isPresent()) {
            return mul(g, emitter.scalar((double) numerator.getAsLong() / denominator.getAsLong(), type));
        }
        Value counted = denominator.isPresent() ? emitter.scalar(denominator.getAsLong(), type) : cast(op("Size", b), type);
        if (numerator.isPresent() && numerator.getAsLong() == 1) {
            return div(g, counted);
        }
        Value scale = numerator.isPresent() ? emitter.scalar(numerator.getAsLong(), type) : cast(op("Size", a), type);
        return mul(g, div(scale, counted));
    }

    /** The element count of {@code x} when its static shape gives it. */
    private static OptionalLong knownElementCount(Value x) {
        return ValueTypes.knownSizes(x, 0).map(sizes -> OptionalLong.of(Arrays.stream(sizes).reduce(1, Math::multiplyExact)))
                .orElse(OptionalLong.empty());
    }

    Value reduceSum(Value x, long[] axes, boolean keepDims) {
        return reduce("ReduceSum", 13, x, axes, keepDims);
    }

    Value reduceMean(Value x, long[] axes, boolean keepDims) {
        return reduce("ReduceMean", 18, x, axes, keepDims);
    }

    Value unsqueeze(Value x, long... axes) {
        if (opset >= 13) {
            return op("Unsqueeze", x, int64s(axes));
        }
        return op("Unsqueeze", List.of(Attribute.ofInts("axes", axes)), x);
    }

    Value squeeze(Value x, long... axes) {
        if (opset >= 13) {
            return op("Squeeze", x, int64s(axes));
        }
        return op("Squeeze", List.of(Attribute.ofInts("axes", axes)), x);
    }

    /** Slices {@code x} along {@code axes} with static bounds. */
    Value slice(Value x, long[] starts, long[] ends, long[] axes) {
        if (opset >= 10) {
            return op("Slice", x, int64s(starts), int64s(ends), int64s(axes));
        }
        return op("Slice", List.of(Attribute.ofInts("starts", starts), Attribute.ofInts("ends", ends),
                Attribute.ofInts("axes", axes)), x);
    }

    /**
     * Slices {@code x} along {@code axes} with static bounds and static {@code steps}; steps
     * other than 1 exist from opset 10 only.
     */
    Value slice(Value x, long[] starts, long[] ends, long[] axes, long[] steps) {
        if (Arrays.stream(steps).allMatch(step -> step == 1)) {
            return slice(x, starts, ends, axes);
        }
        if (opset < 10) {
            throw new IllegalStateException("Slice with steps " + Arrays.toString(steps) + " needs opset 10, the model imports " + opset);
        }
        return op("Slice", x, int64s(starts), int64s(ends), int64s(axes), int64s(steps));
    }

    /** Pads {@code x} with zeros; {@code pads} holds the begin counts of every axis, then the end counts. */
    Value padWithZeros(Value x, long[] pads) {
        if (opset >= 11) {
            return op("Pad", x, int64s(pads));
        }
        return op("Pad", List.of(Attribute.ofInts("pads", pads)), x);
    }

    /** Splits {@code x} along {@code axis} into pieces of static {@code sizes}. */
    List<Value> split(Value x, long axis, long[] sizes) {
        Attribute axisAttribute = Attribute.ofInt("axis", axis);
        if (opset >= 13) {
            return emitter.ops("Split", sizes.length, List.of(axisAttribute), x, int64s(sizes));
        }
        return emitter.ops("Split", sizes.length, List.of(axisAttribute, Attribute.ofInts("split", sizes)), x);
    }

    /**
     * Sums {@code g}, whose dimensions are {@code gDims}, down to {@code targetDims}, the shape
     * an operand had before broadcasting, then reshapes the result to {@code target}'s run-time
     * shape when its rank differs from {@code target}'s (leading axes summed away, or a 1-D
     * MatMul operand that was treated as a matrix). Leading extra axes are summed, and so is
     * every axis where the target has a static 1 and {@code g} does not: summing an axis that
     * turns out to be 1 at run time changes nothing, so a symbolic {@code g} dimension is safe.
     */
    Value sumTo(Value g, List<Dim> gDims, List<Dim> targetDims, Value target) {
        int extra = gDims.size() - targetDims.size();
        List<Long> axes = new ArrayList<>();
        for (int axis = 0; axis < gDims.size(); axis++) {
            boolean leading = axis < extra;
            if (leading || isOne(targetDims.get(axis - extra)) && !isOne(gDims.get(axis))) {
                axes.add((long) axis);
            }
        }
        if (axes.isEmpty()) {
            return gDims.size() == ValueTypes.rank(target) ? g : reshapeLike(g, target);
        }
        long[] summedAxes = axes.stream().mapToLong(Long::longValue).toArray();
        if (axes.size() == extra && extra > 0 && targetDims.size() == ValueTypes.rank(target)) {
            // Only leading axes go: dropping them in the sum leaves the target's rank, no Reshape needed (a bias's gradient).
            return reduceSum(g, summedAxes, false);
        }
        Value summed = reduceSum(g, summedAxes, true);
        return gDims.size() == ValueTypes.rank(target) ? summed : reshapeLike(summed, target);
    }

    /** {@link #sumTo(Value, List, List, Value)} to the static dimensions of {@code target} itself. */
    Value sumTo(Value g, List<Dim> gDims, Value target) {
        return sumTo(g, gDims, ValueTypes.dims(target), target);
    }

    /** The dimensions of the multidirectional broadcast of {@code operands}' static shapes; {@code null} entries (omitted inputs) are skipped. */
    static List<Dim> broadcastDims(List<Value> maybeOperands) {
        List<Value> operands = maybeOperands.stream().filter(Objects::nonNull).toList();
        int rank = 0;
        for (Value operand : operands) {
            rank = Math.max(rank, ValueTypes.rank(operand));
        }
        List<Dim> result = new ArrayList<>(rank);
        for (int axis = 0; axis < rank; axis++) {
            Dim chosen = Dim.of(1);
            for (Value operand : operands) {
                List<Dim> dims = ValueTypes.dims(operand);
                int index = axis - (rank - dims.size());
                if (index >= 0 && !isOne(dims.get(index)) && isOne(chosen)) {
                    chosen = dims.get(index);
                }
            }
            result.add(chosen);
        }
        return result;
    }

    static boolean isOne(Dim dim) {
        return dim instanceof Dim.Known known && known.size() == 1;
    }

    private Value reduce(String opType, long axesInputSince, Value x, long[] axes, boolean keepDims) {
        Attribute keep = Attribute.ofInt("keepdims", keepDims ? 1 : 0);
        if (opset >= axesInputSince) {
            return op(opType, List.of(keep), x, int64s(axes));
        }
        return op(opType, List.of(keep, Attribute.ofInts("axes", axes)), x);
    }
}
