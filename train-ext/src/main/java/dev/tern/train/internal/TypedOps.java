package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Ops} for expansions: each output gets its static type (element type of the operands,
 * dimensions derived from theirs), because the gradient rules that later run over the
 * expanded nodes read ranks and dimensions, and shape inference has already run.
 */
final class TypedOps {
    private final Ops ops;

    TypedOps(Ops ops) {
        this.ops = ops;
    }

    Value add(Value a, Value b) {
        return broadcast(ops.add(a, b), a, b);
    }

    Value sub(Value a, Value b) {
        return broadcast(ops.sub(a, b), a, b);
    }

    Value mul(Value a, Value b) {
        return broadcast(ops.mul(a, b), a, b);
    }

    Value scalarLike(double value, Value like) {
        return ops.scalarLike(value, like);
    }

    /** An elementwise function of one tensor, such as Sigmoid or Tanh. */
    Value unary(String opType, Value x) {
        return unary(opType, List.of(), x);
    }

    /** An elementwise function of one tensor with attributes, such as LeakyRelu's alpha. */
    Value unary(String opType, List<Attribute> attributes, Value x) {
        return typed(ops.op(opType, attributes, x), x, ValueTypes.dims(x));
    }

    /** {@code x} clipped to [-bound, bound]: bounds are attributes before opset 11 and inputs from it. */
    Value clip(Value x, double bound) {
        Value clipped;
        if (ops.opset() < 11) {
            clipped = ops.op("Clip", List.of(Attribute.ofFloat("min", (float) -bound), Attribute.ofFloat("max", (float) bound)), x);
        } else {
            clipped = ops.op("Clip", x, scalarLike(-bound, x), scalarLike(bound, x));
        }
        return typed(clipped, x, ValueTypes.dims(x));
    }

    /** {@code a} times the matrix {@code b}, {@code a} of any rank from 2. */
    Value matMul(Value a, Value b) {
        List<Dim> dims = new ArrayList<>(ValueTypes.dims(a));
        dims.set(dims.size() - 1, ValueTypes.dims(b).get(1));
        return typed(ops.op("MatMul", a, b), a, dims);
    }

    /** The transpose of a matrix. */
    Value transpose(Value matrix) {
        List<Dim> dims = ValueTypes.dims(matrix);
        return typed(ops.transpose(matrix, 1, 0), matrix, List.of(dims.get(1), dims.get(0)));
    }

    /** {@code x} cut along {@code axis} into pieces of {@code sizes}; one piece is {@code x} itself. */
    List<Value> split(Value x, int axis, long... sizes) {
        if (sizes.length == 1) {
            return List.of(x);
        }
        List<Value> pieces = ops.split(x, axis, sizes);
        for (int i = 0; i < sizes.length; i++) {
            List<Dim> dims = new ArrayList<>(ValueTypes.dims(x));
            dims.set(axis, Dim.of(sizes[i]));
            typed(pieces.get(i), x, dims);
        }
        return pieces;
    }

    Value squeeze(Value x, int axis) {
        List<Dim> dims = new ArrayList<>(ValueTypes.dims(x));
        dims.remove(axis);
        return typed(ops.squeeze(x, axis), x, dims);
    }

    /** {@code x} with size-1 axes inserted at {@code axes}, given in increasing order. */
    Value unsqueeze(Value x, long... axes) {
        List<Dim> dims = new ArrayList<>(ValueTypes.dims(x));
        for (long axis : axes) {
            dims.add((int) axis, Dim.of(1));
        }
        return typed(ops.unsqueeze(x, axes), x, dims);
    }

    /** {@code values} joined along {@code axis}; a single value is returned as it is. */
    Value concat(List<Value> values, int axis) {
        Value first = values.get(0);
        if (values.size() == 1) {
            return first;
        }
        List<Dim> dims = new ArrayList<>(ValueTypes.dims(first));
        long total = 0;
        for (Value value : values) {
            long size = ValueTypes.size(value, axis);
            total = size < 0 || total < 0 ? -1 : total + size;
        }
        dims.set(axis, total < 0 ? Dim.UNKNOWN : Dim.of(total));
        Value joined = ops.op("Concat", List.of(Attribute.ofInt("axis", axis)), values.toArray(new Value[0]));
        return typed(joined, first, dims);
    }

    private static Value broadcast(Value result, Value a, Value b) {
        return typed(result, a, Ops.broadcastDims(Arrays.asList(a, b)));
    }

    private static Value typed(Value value, Value elementTypeOf, List<Dim> dims) {
        value.setType(ValueType.tensor(ValueTypes.elementType(elementTypeOf), Shape.of(dims)));
        return value;
    }
}
