package dev.tern.ir.internal.folding;

import dev.tern.ir.ElementType;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;

import java.util.List;
import java.util.Optional;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Add, Sub, Mul, Div (with broadcasting), Neg, and for floating types Sqrt and Reciprocal, on
 * FLOAT, DOUBLE, INT32 and INT64. FLOAT is computed in double and rounded once, which gives the
 * same result as float arithmetic for these operations (double carries more than twice float's
 * precision). Integer division truncates toward zero, like ONNX Runtime's; a division by zero
 * is not folded.
 */
final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    static FoldingKernel binary(DoubleBinaryOperator floating, LongBinaryOperator integer) {
        return (node, inputs) -> binary(inputs.get(0), inputs.get(1), floating, integer);
    }

    /** A unary kernel; {@code integer} is null for operators only defined on floating types. */
    static FoldingKernel unary(DoubleUnaryOperator floating, LongUnaryOperator integer) {
        return (Node node, List<Tensor> inputs) -> unary(inputs.get(0), floating, integer);
    }

    private static Optional<List<Tensor>> binary(Tensor a, Tensor b, DoubleBinaryOperator floating,
                                                 LongBinaryOperator integer) {
        ElementType type = a.elementType();
        if (type != b.elementType() || !Numbers.isArithmetic(type)) {
            return Optional.empty();
        }
        Optional<long[]> shape = Broadcast.shape(a.dims(), b.dims());
        if (shape.isEmpty() || Numbers.elementCount(shape.get()) > Numbers.MAX_FOLDED_ELEMENTS) {
            return Optional.empty();
        }
        long[] dims = shape.get();
        int[] fromA = Broadcast.sourceIndices(a.dims(), dims);
        int[] fromB = Broadcast.sourceIndices(b.dims(), dims);
        if (Numbers.isFloating(type)) {
            double[] left = Numbers.doubles(a);
            double[] right = Numbers.doubles(b);
            double[] result = new double[fromA.length];
            for (int i = 0; i < result.length; i++) {
                result[i] = floating.applyAsDouble(left[fromA[i]], right[fromB[i]]);
            }
            return Optional.of(List.of(Numbers.fromDoubles(type, dims, result)));
        }
        long[] left = Numbers.longs(a);
        long[] right = Numbers.longs(b);
        long[] result = new long[fromA.length];
        try {
            for (int i = 0; i < result.length; i++) {
                result[i] = integer.applyAsLong(left[fromA[i]], right[fromB[i]]);
            }
        } catch (ArithmeticException divisionByZero) {
            return Optional.empty();
        }
        return Optional.of(List.of(Numbers.fromLongs(type, dims, result)));
    }

    private static Optional<List<Tensor>> unary(Tensor x, DoubleUnaryOperator floating, LongUnaryOperator integer) {
        ElementType type = x.elementType();
        if (!Numbers.isArithmetic(type) || !Numbers.isFloating(type) && integer == null) {
            return Optional.empty();
        }
        if (Numbers.isFloating(type)) {
            double[] values = Numbers.doubles(x);
            for (int i = 0; i < values.length; i++) {
                values[i] = floating.applyAsDouble(values[i]);
            }
            return Optional.of(List.of(Numbers.fromDoubles(type, x.dims(), values)));
        }
        long[] values = Numbers.longs(x);
        for (int i = 0; i < values.length; i++) {
            values[i] = integer.applyAsLong(values[i]);
        }
        return Optional.of(List.of(Numbers.fromLongs(type, x.dims(), values)));
    }
}
