package dev.tern.conformance;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one case's inferred types compare with ORT's actual values: every known dimension must
 * equal the actual size, every symbol must stand for one size throughout the model, and
 * element types must match. Unknown dimensions and untyped values are counted, not judged.
 */
final class ShapeAgreement {
    private final BackendCase testCase;
    private final String skipReason;
    private final Map<String, Long> symbolSizes = new HashMap<>();
    private final List<String> disagreements = new ArrayList<>();
    private final Set<String> opsWithoutRule = new TreeSet<>();
    private int valuesChecked;
    private int untypedValues;
    private int knownDims;
    private int symbolicDims;
    private int unknownDims;

    ShapeAgreement(BackendCase testCase) {
        this(testCase, null);
    }

    private ShapeAgreement(BackendCase testCase, String skipReason) {
        this.testCase = testCase;
        this.skipReason = skipReason;
    }

    static ShapeAgreement skipped(BackendCase testCase, String reason) {
        return new ShapeAgreement(testCase, reason);
    }

    boolean isSkipped() {
        return skipReason != null;
    }

    String skipReason() {
        return skipReason;
    }

    BackendCase testCase() {
        return testCase;
    }

    void disagree(String what) {
        disagreements.add(what);
    }

    /** Compares {@code value}'s inferred type with an actual tensor of {@code type} and {@code dims}. */
    void compare(Value value, ElementType type, long[] dims) {
        valuesChecked++;
        if (!(value.type() instanceof ValueType.TensorType inferred)) {
            untypedValues++;
            return;
        }
        if (inferred.elementType() != type) {
            disagree("value '" + value.name() + "': inferred " + inferred + ", ORT made " + type + Arrays.toString(dims));
        }
        Shape shape = inferred.shape();
        if (!shape.isRankKnown()) {
            unknownDims += dims.length;
            return;
        }
        if (shape.rank() != dims.length) {
            disagree("value '" + value.name() + "': inferred " + inferred + ", ORT made rank " + dims.length
                    + " " + Arrays.toString(dims));
            return;
        }
        for (int axis = 0; axis < dims.length; axis++) {
            compareDim(value, inferred, shape.dim(axis), axis, dims);
        }
    }

    private void compareDim(Value value, ValueType.TensorType inferred, Dim dim, int axis, long[] dims) {
        if (dim instanceof Dim.Known known) {
            knownDims++;
            if (known.size() != dims[axis]) {
                disagree("value '" + value.name() + "': inferred " + inferred + ", ORT made " + Arrays.toString(dims));
            }
        } else if (dim instanceof Dim.Symbolic symbolic) {
            symbolicDims++;
            Long earlier = symbolSizes.putIfAbsent(symbolic.name(), dims[axis]);
            if (earlier != null && earlier != dims[axis]) {
                disagree("value '" + value.name() + "': symbol " + symbolic.name() + " is " + dims[axis]
                        + " on axis " + axis + " but " + earlier + " elsewhere");
            }
        } else {
            unknownDims++;
        }
    }

    void noteOpsWithoutRule(Set<String> ops) {
        opsWithoutRule.addAll(ops);
    }

    /** Ops of this case that inference has no rule for. */
    Set<String> opsWithoutRule() {
        return opsWithoutRule;
    }

    List<String> disagreements() {
        return disagreements;
    }

    int valuesChecked() {
        return valuesChecked;
    }

    int untypedValues() {
        return untypedValues;
    }

    int knownDims() {
        return knownDims;
    }

    int symbolicDims() {
        return symbolicDims;
    }

    int unknownDims() {
        return unknownDims;
    }
}
