package dev.tern.ir.internal.shapes;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Ops that make tensors from shapes or constants, and Cast: Shape, Size, Constant,
 * ConstantOfShape, Range, Cast, CastLike. Shape and Size start the contents the engine follows.
 */
final class ShapeSourceRules {
    private ShapeSourceRules() {
    }

    static void register(OpRegistry registry) {
        registry.add(ShapeSourceRules::shape, "Shape");
        registry.add(ShapeSourceRules::size, "Size");
        registry.add(ShapeSourceRules::constant, "Constant");
        registry.add(ShapeSourceRules::constantOfShape, "ConstantOfShape");
        registry.add(ShapeSourceRules::range, "Range");
        registry.add(ShapeSourceRules::cast, "Cast");
        registry.add(ShapeSourceRules::castLike, "CastLike");
    }

    /** A 1-D int64 tensor of the input's dimensions, from {@code start} to {@code end} (opset 15). */
    private static void shape(NodeContext node) {
        Shape input = node.shape(0);
        if (!input.isRankKnown()) {
            node.setOutput(0, ElementType.INT64, Shape.of(Dim.UNKNOWN));
            return;
        }
        int rank = input.rank();
        int start = clampAxis(node.intAttr("start", 0), rank);
        int end = clampAxis(node.intAttr("end", rank), rank);
        List<IntElement> elements = new ArrayList<>();
        for (int axis = start; axis < end; axis++) {
            elements.add(IntElement.of(input.dim(axis)));
        }
        node.setOutput(0, ElementType.INT64, Shape.of(elements.size()));
        node.setContents(0, elements);
    }

    private static int clampAxis(long axis, int rank) {
        long normalized = axis < 0 ? axis + rank : axis;
        return (int) Math.max(0, Math.min(rank, normalized));
    }

    private static void size(NodeContext node) {
        node.setOutput(0, ElementType.INT64, Shape.scalar());
        Shape input = node.shape(0);
        if (input.isRankKnown()) {
            node.setContents(0, List.of(IntElement.of(Dims.product(input.dims()))));
        }
    }

    /** The type of whichever value attribute is set; a tensor value also becomes a known constant. */
    private static void constant(NodeContext node) {
        Tensor tensor = node.hasAttribute("value") ? node.attribute("value").asTensor() : null;
        ValueType type = null;
        if (tensor != null) {
            type = tensor.type();
        } else if (node.hasAttribute("value_float")) {
            type = ValueType.tensor(ElementType.FLOAT, Shape.scalar());
            tensor = Tensor.ofFloats("", new long[0], node.floatAttr("value_float", 0));
        } else if (node.hasAttribute("value_int")) {
            tensor = Tensor.ofLongs("", new long[0], node.intAttr("value_int", 0));
            type = tensor.type();
        } else if (node.hasAttribute("value_ints")) {
            long[] values = node.intsAttr("value_ints");
            tensor = Tensor.ofLongs("", new long[] {values.length}, values);
            type = tensor.type();
        } else if (node.hasAttribute("value_floats")) {
            type = ValueType.tensor(ElementType.FLOAT, Shape.of(node.attribute("value_floats").asFloats().length));
        } else if (node.hasAttribute("value_string")) {
            type = ValueType.tensor(ElementType.STRING, Shape.scalar());
        } else if (node.hasAttribute("value_strings")) {
            type = ValueType.tensor(ElementType.STRING, Shape.of(node.attribute("value_strings").asStrings().size()));
        } else if (node.hasAttribute("sparse_value")) {
            Attribute sparse = node.attribute("sparse_value");
            type = ValueType.tensor(sparse.asSparseTensor().values().elementType(),
                    Shape.of(sparse.asSparseTensor().dims()));
        }
        node.setOutput(0, type);
        if (tensor != null && node.hasOutput(0)) {
            node.engine().setConstant(node.node().output(0), tensor);
        }
    }

    /**
     * A tensor of the shape given by input 0 (its followed contents, or only its length), of the
     * {@code value} attribute's type (float when absent).
     */
    private static void constantOfShape(NodeContext node) {
        Tensor fill = node.hasAttribute("value") ? node.attribute("value").asTensor() : null;
        ElementType type = fill == null ? ElementType.FLOAT : fill.elementType();
        List<IntElement> target = node.contents(0);
        if (target != null) {
            List<Dim> dims = new ArrayList<>();
            for (IntElement entry : target) {
                if (entry.isNumber() && entry.number() < 0) {
                    throw node.conflict("shape entry " + entry + " is negative");
                }
                dims.add(entry.asDim());
            }
            node.setOutput(0, type, dims);
            followFill(node, dims, fill);
        } else if (node.rank(0) == 1 && node.shape(0).dim(0).isKnown()) {
            node.setOutput(0, type, Collections.nCopies((int) Dims.size(node.shape(0).dim(0)), Dim.UNKNOWN));
        }
    }

    /**
     * A small integer fill is followed: PyTorch makes the ones it puts into an Expand target as
     * {@code ConstantOfShape(Shape(shape), value=1)}.
     */
    private static void followFill(NodeContext node, List<Dim> dims, Tensor fill) {
        List<IntElement> value = fill == null ? null : TensorValues.contents(fill);
        long count = dims.isEmpty() ? 1 : Dims.size(dims.get(0));
        if (value == null || value.size() != 1 || dims.size() > 1 || count < 0 || count > TensorValues.MAX_ELEMENTS) {
            return;
        }
        node.setContents(0, Collections.nCopies((int) count, value.get(0)));
    }

    /**
     * 1-D of length max(ceil((limit - start) / delta), 0), known when all three are numbers; and
     * {@code Range(0, n, 1)} has n elements also when n is a symbolic dimension read with Shape.
     */
    private static void range(NodeContext node) {
        double[] start = scalar(node, 0);
        double[] limit = scalar(node, 1);
        double[] delta = scalar(node, 2);
        Dim length = Dim.UNKNOWN;
        if (start != null && limit != null && delta != null) {
            if (delta[0] == 0) {
                throw node.conflict("delta is 0");
            }
            length = Dim.of((long) Math.max(Math.ceil((limit[0] - start[0]) / delta[0]), 0));
        } else if (start != null && start[0] == 0 && delta != null && delta[0] == 1) {
            List<IntElement> followedLimit = node.contents(1);
            length = followedLimit == null || followedLimit.size() != 1 ? Dim.UNKNOWN : followedLimit.get(0).asDim();
        }
        node.setOutput(0, node.elementType(0), List.of(length));
    }

    /** A constant scalar input, or one whose contents are followed (a dimension read with Shape and Gather). */
    private static double[] scalar(NodeContext node, int index) {
        double[] constant = node.doubles(index);
        if (constant != null) {
            return constant;
        }
        long[] followed = node.longs(index);
        return followed == null || followed.length != 1 ? null : new double[] {followed[0]};
    }

    private static void cast(NodeContext node) {
        ElementType to = ElementType.fromOnnxCode((int) node.intAttr("to", 0));
        node.setOutput(0, to, node.shape(0));
        ElementType from = node.elementType(0);
        if (from != null) {
            node.setContents(0, CastContents.cast(node.contents(0), from, to));
        }
    }

    private static void castLike(NodeContext node) {
        node.setOutput(0, node.elementType(1), node.shape(0));
    }
}
