package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Einsum. The gradient of operand k is itself an einsum: of the output gradient with the
 * other operands, producing k's subscripts ("ij,jk->ik" gives A "ik,jk->ij"). Subscripts
 * only operand k has (summed away within it) cannot be produced by that einsum; they are
 * left out and the result broadcast over them. The implicit form (no "->") is covered;
 * ellipses and repeated subscripts within an operand (diagonals) are refused.
 */
final class EinsumRule {
    private EinsumRule() {
    }

    static void register(GradientRules rules) {
        rules.put("Einsum", GradientRule.of(EinsumRule::einsum));
    }

    private static void einsum(RuleContext c) {
        String equation = c.stringAttribute("equation", "").replace(" ", "");
        if (equation.contains(".")) {
            throw c.unsupported("Einsum with an ellipsis in '" + equation + "'; spell out every subscript");
        }
        String[] sides = equation.split("->", -1);
        List<String> terms = List.of(sides[0].split(",", -1));
        for (String term : terms) {
            if (term.chars().distinct().count() != term.length()) {
                throw c.unsupported("Einsum operand '" + term + "' repeats a subscript (a diagonal) in '" + equation + "'");
            }
        }
        String output = sides.length > 1 ? sides[1] : implicitOutput(terms);
        for (int k = 0; k < terms.size(); k++) {
            if (c.wants(k)) {
                c.give(k, operandGradient(c, terms, output, k));
            }
        }
    }

    private static Value operandGradient(RuleContext c, List<String> terms, String output, int k) {
        Ops ops = c.ops();
        List<String> backwardTerms = new ArrayList<>();
        List<Value> backwardInputs = new ArrayList<>();
        backwardTerms.add(output);
        backwardInputs.add(c.gradient());
        for (int j = 0; j < terms.size(); j++) {
            if (j != k) {
                backwardTerms.add(terms.get(j));
                backwardInputs.add(c.input(j));
            }
        }
        String available = String.join("", backwardTerms);
        String target = terms.get(k);
        StringBuilder produced = new StringBuilder();
        List<Long> missingAxes = new ArrayList<>();
        for (int axis = 0; axis < target.length(); axis++) {
            char subscript = target.charAt(axis);
            if (available.indexOf(subscript) >= 0) {
                produced.append(subscript);
            } else {
                missingAxes.add((long) axis);
            }
        }
        String backwardEquation = String.join(",", backwardTerms) + "->" + produced;
        Value gradient = ops.op("Einsum", List.of(Attribute.ofString("equation", backwardEquation)),
                backwardInputs.toArray(new Value[0]));
        if (missingAxes.isEmpty()) {
            return gradient;
        }
        Value unsqueezed = ops.unsqueeze(gradient, missingAxes.stream().mapToLong(Long::longValue).toArray());
        return ops.expandLike(unsqueezed, c.input(k));
    }

    /** The subscripts that occur exactly once across the operands, in alphabetical order (ONNX's implicit output). */
    private static String implicitOutput(List<String> terms) {
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
