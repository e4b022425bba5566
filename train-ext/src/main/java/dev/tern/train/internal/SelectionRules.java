package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Value;

import java.util.List;

/**
 * Ops that pick or join parts of tensors: Concat, Split, Slice, Gather and Where. The
 * gradient of a selection goes back to the selected positions, zeros elsewhere.
 */
final class SelectionRules {
    private SelectionRules() {
    }

    static void register(GradientRules rules) {
        rules.put("Concat", GradientRule.of(SelectionRules::concat));
        rules.put("Split", GradientRule.forInputs(new int[] {0}, SelectionRules::split));
        rules.put("Slice", GradientRule.forInputs(new int[] {0}, SelectionRules::slice));
        rules.put("Gather", GradientRule.forInputs(new int[] {0}, SelectionRules::gather));
        rules.put("Where", GradientRule.forInputs(new int[] {1, 2}, SelectionRules::where));
    }

    /** The output gradient cut back into the inputs' pieces: one Split when their sizes are static, else Slices at run-time offsets. */
    private static void concat(RuleContext c) {
        Ops ops = c.ops();
        long axis = c.intAttribute("axis", 0);
        List<Value> inputs = c.node().inputs();
        long[] sizes = new long[inputs.size()];
        boolean staticSizes = true;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = ValueTypes.size(inputs.get(i), (int) axis);
            staticSizes &= sizes[i] >= 0;
        }
        if (staticSizes) {
            List<Value> pieces = ops.split(c.gradient(), axis, sizes);
            for (int i = 0; i < sizes.length; i++) {
                c.give(i, pieces.get(i));
            }
            return;
        }
        if (c.opset() < 10) {
            throw c.unsupported("Concat of inputs with dynamic sizes along the axis before opset 10");
        }
        Value axes = ops.int64s(axis);
        Value offset = ops.int64s(0);
        for (int i = 0; i < sizes.length; i++) {
            Value end = ops.add(offset, ops.dimension(inputs.get(i), axis));
            if (c.wants(i)) {
                c.give(i, ops.op("Slice", c.gradient(), offset, end, axes));
            }
            offset = end;
        }
    }

    /** The output gradients joined again; an output that does not reach the loss contributes zeros. */
    private static void split(RuleContext c) {
        Ops ops = c.ops();
        List<Value> outputs = c.node().outputs();
        Value[] pieces = new Value[outputs.size()];
        for (int i = 0; i < pieces.length; i++) {
            Value g = c.gradient(i);
            pieces[i] = g != null ? g : ops.zerosLike(outputs.get(i));
        }
        long axis = c.intAttribute("axis", 0);
        c.give(0, ops.op("Concat", List.of(Attribute.ofInt("axis", axis)), pieces));
    }

    /**
     * Slices a tensor of flat positions (0, 1, 2, ... in the input's shape) exactly as the
     * input was sliced, then scatters the gradient to those positions: any starts, ends,
     * axes and steps, dynamic ones included. Needs Range and ScatterElements (opset 11).
     */
    private static void slice(RuleContext c) {
        if (c.opset() < 11) {
            throw c.unsupported("Slice gradient needs Range and ScatterElements, from opset 11; the model imports ai.onnx " + c.opset());
        }
        Ops ops = c.ops();
        Value x = c.input(0);
        Value count = ops.op("Size", x);
        Value positions = ops.reshapeLike(ops.op("Range", c.ops().emitter().int64Scalar(0), count,
                c.ops().emitter().int64Scalar(1)), x);
        Value[] sliceInputs = c.node().inputs().toArray(new Value[0]);
        sliceInputs[0] = positions;
        Value selected = ops.op("Slice", sliceInputs);
        Value flat = ops.int64s(-1);
        Value zeros = ops.op("Reshape", ops.zerosLike(x), flat);
        Value scattered = ops.op("ScatterElements", List.of(Attribute.ofInt("axis", 0)), zeros,
                ops.op("Reshape", selected, flat), ops.op("Reshape", c.gradient(), flat));
        c.give(0, ops.reshapeLike(scattered, x));
    }

    /**
     * Sums the gradient rows into the rows the indices picked (indices may repeat). The
     * gathered axis is moved to the front; then from opset 16 ScatterND with reduction "add"
     * does the sum, and before that a one-hot matrix product (memory: indices x axis size).
     */
    private static void gather(RuleContext c) {
        Ops ops = c.ops();
        Value data = c.input(0);
        Value indices = c.input(1);
        int rank = ValueTypes.rank(data);
        int indexRank = ValueTypes.rank(indices);
        int axis = ValueTypes.axis(c.intAttribute("axis", 0), rank);
        long[] axisFirst = new long[rank];
        axisFirst[0] = axis;
        for (int i = 0; i < axis; i++) {
            axisFirst[i + 1] = i;
        }
        for (int i = axis + 1; i < rank; i++) {
            axisFirst[i] = i;
        }
        Value g = c.gradient();
        if (axis != 0) {
            long[] indexAxesFirst = new long[rank + indexRank - 1];
            int next = 0;
            for (int i = 0; i < indexRank; i++) {
                indexAxesFirst[next++] = axis + i;
            }
            for (int i = 0; i < axis; i++) {
                indexAxesFirst[next++] = i;
            }
            for (int i = axis + indexRank; i < indexAxesFirst.length; i++) {
                indexAxesFirst[next++] = i;
            }
            g = ops.transpose(g, indexAxesFirst);
        }
        Value shapeAxisFirst = ops.op("Gather", List.of(Attribute.ofInt("axis", 0)), ops.shape(data), ops.int64s(axisFirst));
        Value summed;
        if (c.opset() >= 16) {
            summed = scatterAdd(ops, data, indices, g, axis, shapeAxisFirst);
        } else if (c.opset() >= 11) {
            summed = uniqueRowsProduct(ops, data, indices, g, axis, shapeAxisFirst);
        } else {
            summed = oneHotProduct(ops, data, indices, g, axis, shapeAxisFirst);
        }
        c.give(0, axis == 0 ? summed : ops.transpose(summed, inverse(axisFirst)));
    }

    private static Value scatterAdd(Ops ops, Value data, Value indices, Value g, int axis, Value shapeAxisFirst) {
        Value zeros = ops.op("Expand", ops.scalarLike(0, data), shapeAxisFirst);
        List<Attribute> add = List.of(Attribute.ofString("reduction", "add"));
        return ops.op("ScatterND", add, zeros, ops.unsqueeze(nonNegativePositions(ops, data, indices, axis), -1), g);
    }

    /**
     * Before ScatterND learned to add (opset 16), repeated indices cannot be scattered
     * directly. Unique (opset 11) gives the distinct rows and, for each index, which distinct
     * row it is; OneHot of that against the gradient rows sums the repeats, and the sums,
     * one per distinct row, are scattered without collisions. The one-hot is indices by
     * distinct rows, so a 30,000-row embedding read at 1,000 positions costs a 1,000 x 1,000
     * product instead of a 1,000 x 30,000 one.
     */
    private static Value uniqueRowsProduct(Ops ops, Value data, Value indices, Value g, int axis, Value shapeAxisFirst) {
        Value flatPositions = ops.op("Reshape", nonNegativePositions(ops, data, indices, axis), ops.int64s(-1));
        List<Value> unique = ops.emitter().ops("Unique", 4, List.of(Attribute.ofInt("sorted", 0)), flatPositions);
        Value rows = unique.get(0);
        Value rowOfIndex = unique.get(2);
        Value offOn = ops.emitter().floats(ElementType.FLOAT, new long[] {2}, 0, 1);
        Value oneHot = ops.op("OneHot", List.of(Attribute.ofInt("axis", -1)), rowOfIndex,
                ops.op("Reshape", ops.op("Size", rows), ops.int64s(1)), offOn);
        ElementType type = ValueTypes.elementType(data);
        if (type != ElementType.FLOAT) {
            oneHot = ops.cast(oneHot, type);
        }
        Value gradientRows = ops.op("Reshape", g, concat(ops, ops.op("Reshape", ops.op("Size", indices), ops.int64s(1)),
                ops.int64s(-1)));
        Value summedRows = ops.op("MatMul", ops.transpose(oneHot, 1, 0), gradientRows);
        Value rowShape = concat(ops, ops.op("Reshape", ops.op("Size", rows), ops.int64s(1)),
                ops.op("Slice", shapeAxisFirst, ops.int64s(1), ops.int64s(Long.MAX_VALUE), ops.int64s(0)));
        Value zeros = ops.op("Expand", ops.scalarLike(0, data), shapeAxisFirst);
        return ops.op("ScatterND", zeros, ops.unsqueeze(rows, -1), ops.op("Reshape", summedRows, rowShape));
    }

    /** The indices as int64 with negative ones wrapped, so -1 and size - 1 name the same row. */
    private static Value nonNegativePositions(Ops ops, Value data, Value indices, int axis) {
        Value positions = ops.cast(indices, ElementType.INT64);
        Value wrapped = ops.add(positions, ops.dimension(data, axis));
        Value negative = ops.op("Less", positions, ops.emitter().int64Scalar(0));
        return ops.op("Where", negative, wrapped, positions);
    }

    /**
     * OneHot(indices)^T times the gradient rows; OneHot wraps negative indices itself. The
     * indices are cast to int64 and the one-hot values made in float, the combination ONNX
     * Runtime's CPU OneHot implements, then cast to the data's type.
     */
    private static Value oneHotProduct(Ops ops, Value data, Value indices, Value g, int axis, Value shapeAxisFirst) {
        Value depth = ops.dimension(data, axis);
        Value offOn = ops.emitter().floats(ElementType.FLOAT, new long[] {2}, 0, 1);
        Value positions = ops.cast(indices, ElementType.INT64);
        Value oneHot = ops.op("OneHot", List.of(Attribute.ofInt("axis", -1)), positions, depth, offOn);
        ElementType type = ValueTypes.elementType(data);
        if (type != ElementType.FLOAT) {
            oneHot = ops.cast(oneHot, type);
        }
        Value oneHotRows = ops.op("Reshape", oneHot, concat(ops, ops.int64s(-1), depth));
        Value rowCount = ops.op("Reshape", ops.op("Size", indices), ops.int64s(1));
        Value gradientRows = ops.op("Reshape", g, concat(ops, rowCount, ops.int64s(-1)));
        Value summedRows = ops.op("MatMul", ops.transpose(oneHotRows, 1, 0), gradientRows);
        return ops.op("Reshape", summedRows, shapeAxisFirst);
    }

    private static void where(RuleContext c) {
        Ops ops = c.ops();
        Value condition = c.input(0);
        Value zero = ops.scalarLike(0, c.input(c.wants(1) ? 1 : 2));
        if (c.wants(1)) {
            ArithmeticRules.giveBroadcast(c, 1, ops.op("Where", condition, c.gradient(), zero));
        }
        if (c.wants(2)) {
            ArithmeticRules.giveBroadcast(c, 2, ops.op("Where", condition, zero, c.gradient()));
        }
    }

    private static Value concat(Ops ops, Value first, Value second) {
        return ops.op("Concat", List.of(Attribute.ofInt("axis", 0)), first, second);
    }

    private static long[] inverse(long[] perm) {
        long[] inverse = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[(int) perm[i]] = i;
        }
        return inverse;
    }
}
