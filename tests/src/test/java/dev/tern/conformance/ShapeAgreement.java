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
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How one case's inferred types compare with the values ORT actually produced. Graph inputs
 * are only checked (their types are declared, not inferred); every node output ORT produced
 * is judged and counted under its op type: every known dimension must equal the actual size,
 * every symbol must stand for one size throughout the model, element types must match, and
 * untyped values and unknown dimensions are counted (see {@link DimCounts}).
 */
final class ShapeAgreement {
    /** A tensor as ORT produced it. */
    record Actual(ElementType type, long[] dims) {
        @Override
        public String toString() {
            return type + Arrays.toString(dims);
        }
    }

    private final BackendCase testCase;
    private final String skipReason;
    private final Map<String, Long> symbolSizes = new HashMap<>();
    private final List<String> disagreements = new ArrayList<>();
    private final Set<String> opsWithoutRule = new TreeSet<>();
    private final Map<String, DimCounts> byOp = new TreeMap<>();

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

    /** Checks a graph input's declared type against the tensor fed to it; binds its symbols, counts nothing. */
    void compareInput(Value input, Actual fed) {
        if (input.type() != null) {
            compareTensor(input, input.type(), fed, new DimCounts());
        }
    }

    /** Judges node output {@code value}, made by an {@code op} node, against ORT's tensor. */
    void compareOutput(String op, Value value, Actual actual) {
        DimCounts counts = byOp.computeIfAbsent(op, o -> new DimCounts());
        counts.value();
        if (value.type() == null) {
            counts.untyped(actual.dims().length);
            return;
        }
        compareTensor(value, unwrapOptional(value.type()), actual, counts);
    }

    /** Judges node output {@code value}, made by an {@code op} node, against ORT's sequence of tensors. */
    void compareOutput(String op, Value value, List<Actual> elements) {
        DimCounts counts = byOp.computeIfAbsent(op, o -> new DimCounts());
        counts.value();
        if (value.type() == null) {
            counts.untyped(elements.stream().mapToInt(e -> e.dims().length).sum());
            return;
        }
        if (!(unwrapOptional(value.type()) instanceof ValueType.SequenceType sequence)) {
            disagree("value '" + value.name() + "': inferred " + value.type() + ", ORT made a sequence " + elements);
            return;
        }
        for (Actual element : elements) {
            compareTensor(value, sequence.elementType(), element, counts);
        }
    }

    /** ORT's Java API hands an optional's value back without the optional around it. */
    private static ValueType unwrapOptional(ValueType type) {
        return type instanceof ValueType.OptionalType optional ? optional.elementType() : type;
    }

    private void compareTensor(Value value, ValueType type, Actual actual, DimCounts counts) {
        long[] dims = actual.dims();
        if (!(type instanceof ValueType.TensorType inferred)) {
            disagree("value '" + value.name() + "': inferred " + type + ", ORT made a tensor " + actual);
            return;
        }
        if (inferred.elementType() != actual.type()) {
            disagree("value '" + value.name() + "': inferred " + inferred + ", ORT made " + actual);
        }
        Shape shape = inferred.shape();
        if (!shape.isRankKnown()) {
            counts.unknown(dims.length);
            return;
        }
        if (shape.rank() != dims.length) {
            disagree("value '" + value.name() + "': inferred " + inferred + ", ORT made rank " + dims.length
                    + " " + actual);
            return;
        }
        for (int axis = 0; axis < dims.length; axis++) {
            compareDim(value, inferred, shape.dim(axis), axis, actual, counts);
        }
    }

    private void compareDim(Value value, ValueType.TensorType inferred, Dim dim, int axis, Actual actual,
                            DimCounts counts) {
        long size = actual.dims()[axis];
        if (dim instanceof Dim.Known known) {
            counts.known();
            if (known.size() != size) {
                disagree("value '" + value.name() + "': inferred " + inferred + ", ORT made " + actual);
            }
        } else if (dim instanceof Dim.Symbolic symbolic) {
            counts.symbolic();
            Long earlier = symbolSizes.putIfAbsent(symbolic.name(), size);
            if (earlier != null && earlier != size) {
                disagree("value '" + value.name() + "': symbol " + symbolic.name() + " is " + size
                        + " on axis " + axis + " but " + earlier + " elsewhere");
            }
        } else {
            counts.unknown(1);
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

    /** The counts of the node outputs ORT produced, by op type. */
    Map<String, DimCounts> countsByOp() {
        return byOp;
    }
}
