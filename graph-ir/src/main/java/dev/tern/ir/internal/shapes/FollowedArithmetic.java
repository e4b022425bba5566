package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Elementwise ops on followed contents, since exporters compute shapes with them: Add, Sub, Mul,
 * Div and Neg on integers ({@code Shape(x)[0] * 2}, ONNX's LayerNormalization body counting its
 * reduced axes as {@code Neg(axis)}), and Equal and Where, with which PyTorch turns
 * the -1 entries of an Expand target into 1 ({@code Where(Equal(shape, -1), ones, shape)}).
 * Operands are scalars or 1-D and broadcast only from one element; anything else is not followed.
 */
final class FollowedArithmetic {
    private static final Set<String> ARITHMETIC = Set.of("Add", "Sub", "Mul", "Div");
    private static final IntElement FALSE = IntElement.of(0);
    private static final IntElement TRUE = IntElement.of(1);

    private FollowedArithmetic() {
    }

    /** Add, Sub, Mul or Div on integer contents: numbers computed, x+0, x-0, x*1 and x/1 kept; other ops are left. */
    static void arithmetic(NodeContext node) {
        String op = node.node().opType();
        if (!ARITHMETIC.contains(op) || !hasIntegerInput(node)) {
            return;
        }
        node.setContents(0, elementwise(node, 2, operands -> arithmetic(op, operands.get(0), operands.get(1))));
    }

    /** Neg on integer contents: numbers negated; a dimension's negative is no size and becomes unknown. */
    static void neg(NodeContext node) {
        if (!hasIntegerInput(node)) {
            return;
        }
        node.setContents(0, elementwise(node, 1, operands -> {
            IntElement x = operands.get(0);
            return x.isNumber() ? IntElement.of(Math.negateExact(x.number())) : IntElement.UNKNOWN;
        }));
    }

    /** Equal: 1 where the elements are surely equal, 0 where surely not. */
    static void equal(NodeContext node) {
        node.setContents(0, elementwise(node, 2, operands -> equal(operands.get(0), operands.get(1))));
    }

    /** Where(condition, x, y): x's element where the condition is surely true, y's where surely false. */
    static void where(NodeContext node) {
        node.setContents(0, elementwise(node, 3, operands -> {
            IntElement condition = operands.get(0);
            if (!condition.isNumber()) {
                return IntElement.UNKNOWN;
            }
            return condition.number() != 0 ? operands.get(1) : operands.get(2);
        }));
    }

    /** Arithmetic is followed on integers only: float contents hold whole numbers, which a Div would not keep. */
    private static boolean hasIntegerInput(NodeContext node) {
        ElementType type = node.elementType(0);
        return type != null && TensorValues.isInteger(type);
    }

    /**
     * {@code function} applied element by element to the contents of inputs 0 to
     * {@code arity - 1}, or {@code null} when one is not followed or their lengths do not broadcast.
     */
    private static List<IntElement> elementwise(NodeContext node, int arity,
                                                Function<List<IntElement>, IntElement> function) {
        List<List<IntElement>> inputs = new ArrayList<>(arity);
        int length = 1;
        for (int i = 0; i < arity; i++) {
            List<IntElement> contents = node.contents(i);
            if (contents == null || node.rank(i) > 1) {
                return null;
            }
            inputs.add(contents);
            length = contents.size() == 1 ? length : contents.size();
        }
        for (List<IntElement> contents : inputs) {
            if (contents.size() != 1 && contents.size() != length) {
                return null;
            }
        }
        List<IntElement> result = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            List<IntElement> operands = new ArrayList<>(arity);
            for (List<IntElement> contents : inputs) {
                operands.add(contents.get(contents.size() == 1 ? 0 : i));
            }
            result.add(function.apply(operands));
        }
        return result;
    }

    private static IntElement arithmetic(String op, IntElement x, IntElement y) {
        if (x.isNumber() && y.isNumber()) {
            return numbers(op, x.number(), y.number());
        }
        long neutral = op.equals("Add") || op.equals("Sub") ? 0 : 1;
        if (y.isNumber() && y.number() == neutral) {
            return x;
        }
        if (x.isNumber() && x.number() == neutral && (op.equals("Add") || op.equals("Mul"))) {
            return y;
        }
        return IntElement.UNKNOWN;
    }

    /** @throws ArithmeticException if the result overflows a long (the engine reports a conflict) */
    private static IntElement numbers(String op, long x, long y) {
        return switch (op) {
            case "Add" -> IntElement.of(Math.addExact(x, y));
            case "Sub" -> IntElement.of(Math.subtractExact(x, y));
            case "Mul" -> IntElement.of(Math.multiplyExact(x, y));
            // Integer Div truncates toward zero in ONNX Runtime (and the ONNX reference), as Java's does;
            // a division by zero has no defined result.
            case "Div" -> y == 0 ? IntElement.UNKNOWN : IntElement.of(x / y);
            default -> throw new IllegalStateException("no arithmetic for " + op);
        };
    }

    /**
     * Two numbers compare; a symbolic dimension equals itself and no negative number. An unknown
     * element may be anything: it may come from arithmetic ({@code batch - 1}), not only from a size.
     */
    private static IntElement equal(IntElement x, IntElement y) {
        if (x.isNumber() && y.isNumber()) {
            return x.number() == y.number() ? TRUE : FALSE;
        }
        if (isSymbolicSize(x) && x.symbol().equals(y.symbol())) {
            return TRUE;
        }
        if (isSymbolicSize(x) && isNegative(y) || isSymbolicSize(y) && isNegative(x)) {
            return FALSE;
        }
        return IntElement.UNKNOWN;
    }

    private static boolean isSymbolicSize(IntElement element) {
        return element.symbol() instanceof Dim.Symbolic;
    }

    private static boolean isNegative(IntElement element) {
        return element.isNumber() && element.number() < 0;
    }
}
