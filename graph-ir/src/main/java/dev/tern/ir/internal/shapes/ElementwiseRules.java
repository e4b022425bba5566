package dev.tern.ir.internal.shapes;

import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Ops whose output has their input's shape (activations, Softmax, Identity, Dropout...) and
 * ops that broadcast several inputs (arithmetic, comparisons, Where, variadic Max/Min/Sum/Mean).
 * Add, Sub, Mul, Div, Neg, Equal and Where also follow the contents of small integer tensors
 * ({@link FollowedArithmetic}), since exporters compute shapes with them.
 */
final class ElementwiseRules {
    private static final String[] SAME_AS_INPUT = {
        "Abs", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "BitwiseNot", "Ceil", "Celu", "Clip", "Cos",
        "Cosh", "CumSum", "Elu", "Erf", "Exp", "Floor", "Gelu", "HardSigmoid", "HardSwish", "Hardmax", "LeakyRelu",
        "Log", "LogSoftmax", "LpNormalization", "LRN", "MeanVarianceNormalization", "Mish", "Not",
        "Reciprocal", "Relu", "Round", "Selu", "Shrink", "Sigmoid", "Sign", "Sin", "Sinh", "Softmax", "Softplus",
        "Softsign", "Sqrt", "Tan", "Tanh", "ThresholdedRelu", "Trilu", "InstanceNormalization", "ReverseSequence",
        "ScatterElements", "Scatter", "ScatterND", "Swish", "RandomNormalLike", "RandomUniformLike", "EyeLike",
    };
    private static final String[] BROADCAST_SAME_TYPE = {
        "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean", "BitShift", "BitwiseAnd", "BitwiseOr",
        "BitwiseXor", "PRelu",
    };
    private static final String[] BROADCAST_TO_BOOL = {
        "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor",
    };

    private ElementwiseRules() {
    }

    static void register(OpRegistry registry) {
        registry.add(ElementwiseRules::sameAsInput, SAME_AS_INPUT);
        registry.add(ElementwiseRules::neg, "Neg");
        registry.add(ElementwiseRules::isTest, "IsNaN", "IsInf");
        registry.add(ElementwiseRules::identity, "Identity");
        registry.add(ElementwiseRules::dropout, "Dropout");
        registry.add(ElementwiseRules::broadcastSameType, BROADCAST_SAME_TYPE);
        registry.add(ElementwiseRules::broadcastToBool, BROADCAST_TO_BOOL);
        registry.add(ElementwiseRules::where, "Where");
    }

    /** Output 0 is input 0's type; a "like" op with a {@code dtype} attribute changes the element type. */
    private static void sameAsInput(NodeContext node) {
        ElementType type = node.elementType(0);
        if (node.hasAttribute("dtype")) {
            type = ElementType.fromOnnxCode((int) node.intAttr("dtype", 0));
        }
        node.setOutput(0, type, node.shape(0));
    }

    private static void neg(NodeContext node) {
        sameAsInput(node);
        FollowedArithmetic.neg(node);
    }

    private static void isTest(NodeContext node) {
        node.setOutput(0, ElementType.BOOL, node.shape(0));
    }

    /** Any type passes through, sequences and optionals included, and so do followed contents. */
    private static void identity(NodeContext node) {
        node.setOutput(0, node.inputType(0));
        node.setContents(0, node.contents(0));
    }

    /** The output keeps input 0's type; the optional mask has its shape in bool. */
    private static void dropout(NodeContext node) {
        node.setOutput(0, node.elementType(0), node.shape(0));
        if (node.elementType(0) != null) {
            node.setOutput(1, ElementType.BOOL, node.shape(0));
        }
    }

    private static void broadcastSameType(NodeContext node) {
        node.setOutput(0, node.elementType(0), broadcastInputs(node, 0));
        FollowedArithmetic.arithmetic(node);
    }

    private static void broadcastToBool(NodeContext node) {
        Shape shape = broadcastInputs(node, 0);
        if (node.elementType(0) != null || node.elementType(1) != null) {
            node.setOutput(0, ElementType.BOOL, shape);
        }
        if (node.node().opType().equals("Equal")) {
            FollowedArithmetic.equal(node);
        }
    }

    /** Where(condition, x, y): the type of x, the three shapes broadcast. */
    private static void where(NodeContext node) {
        node.setOutput(0, node.elementType(1), broadcastInputs(node, 0));
        FollowedArithmetic.where(node);
    }

    /** The broadcast shape of every given input from {@code first} on. */
    static Shape broadcastInputs(NodeContext node, int first) {
        List<Shape> shapes = new ArrayList<>();
        for (int i = first; i < node.inputCount(); i++) {
            if (node.hasInput(i)) {
                shapes.add(node.shape(i));
            }
        }
        return Broadcasting.broadcast(shapes);
    }
}
