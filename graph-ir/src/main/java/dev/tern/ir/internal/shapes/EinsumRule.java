package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Einsum: each output subscript takes its dimension from an operand carrying it (the implicit
 * form's output being the subscripts that occur once, sorted). Equations with an ellipsis
 * give an output of unknown rank.
 */
final class EinsumRule {
    private EinsumRule() {
    }

    static void register(OpRegistry registry) {
        registry.add(EinsumRule::einsum, "Einsum");
    }

    private static void einsum(NodeContext node) {
        String equation = node.stringAttr("equation", "").replace(" ", "");
        if (equation.contains(".")) {
            node.setOutput(0, node.elementType(0), Shape.unknownRank());
            return;
        }
        String[] sides = equation.split("->", -1);
        String[] terms = sides[0].split(",", -1);
        Map<Character, Dim> dims = new HashMap<>();
        for (int i = 0; i < terms.length && i < node.inputCount(); i++) {
            Shape shape = node.shape(i);
            if (shape.isRankKnown() && shape.rank() != terms[i].length()) {
                throw node.conflict("Einsum operand " + i + " has subscripts '" + terms[i] + "' but shape " + shape);
            }
            for (int axis = 0; axis < terms[i].length() && shape.isRankKnown(); axis++) {
                Dim dim = shape.dim(axis);
                dims.merge(terms[i].charAt(axis), dim, (earlier, later) -> earlier.equals(Dim.UNKNOWN) ? later : earlier);
            }
        }
        String output = sides.length > 1 ? sides[1] : implicitOutput(terms);
        List<Dim> result = new ArrayList<>(output.length());
        for (char subscript : output.toCharArray()) {
            result.add(dims.getOrDefault(subscript, Dim.UNKNOWN));
        }
        node.setOutput(0, node.elementType(0), result);
    }

    private static String implicitOutput(String[] terms) {
        Map<Character, Integer> counts = new TreeMap<>();
        for (String term : terms) {
            for (char subscript : term.toCharArray()) {
                counts.merge(subscript, 1, Integer::sum);
            }
        }
        StringBuilder output = new StringBuilder();
        counts.forEach((subscript, count) -> {
            if (count == 1) {
                output.append(subscript);
            }
        });
        return output.toString();
    }
}
