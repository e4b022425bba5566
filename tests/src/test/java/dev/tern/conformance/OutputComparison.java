package dev.tern.conformance;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.onnx.TestData;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Compares an output with its expected value the way the ONNX backend tests do: floating
 * point within {@code |actual - expected| <= ATOL + RTOL * |expected|} (NaN equals NaN),
 * integers, bools and strings exactly; element types and shapes must match.
 */
final class OutputComparison {
    static final double RTOL = 1e-3;
    static final double ATOL = 1e-7;

    /** What differs, coarse enough to stay the same across machines, and the first difference in full. */
    record Difference(Aspect aspect, String description) {
        Difference within(String context) {
            return new Difference(aspect, context + ": " + description);
        }
    }

    enum Aspect {
        KIND("the kind of value differs"),
        ELEMENT_TYPE("the element type differs"),
        SHAPE("the shape differs"),
        LENGTH("the sequence length differs"),
        VALUES("values differ beyond rtol " + RTOL + ", atol " + ATOL);

        private final String phrase;

        Aspect(String phrase) {
            this.phrase = phrase;
        }

        String phrase() {
            return phrase;
        }
    }

    private OutputComparison() {
    }

    /** The first difference, or empty when {@code actual} matches {@code expected}. */
    static Optional<Difference> difference(TestData expected, TestData actual) {
        if (expected instanceof TestData.TensorData e && actual instanceof TestData.TensorData a) {
            return tensorDifference(e.tensor(), a.tensor());
        }
        if (expected instanceof TestData.SequenceData e && actual instanceof TestData.SequenceData a) {
            if (e.elements().size() != a.elements().size()) {
                return Optional.of(new Difference(Aspect.LENGTH,
                        "sequence of " + a.elements().size() + " elements, expected " + e.elements().size()));
            }
            for (int i = 0; i < e.elements().size(); i++) {
                Optional<Difference> diff = difference(e.elements().get(i), a.elements().get(i));
                if (diff.isPresent()) {
                    return Optional.of(diff.get().within("sequence element " + i));
                }
            }
            return Optional.empty();
        }
        return Optional.of(new Difference(Aspect.KIND, "found " + kind(actual) + ", expected " + kind(expected)));
    }

    private static Optional<Difference> tensorDifference(Tensor expected, Tensor actual) {
        if (expected.elementType() != actual.elementType()) {
            return Optional.of(new Difference(Aspect.ELEMENT_TYPE,
                    "element type " + actual.elementType() + ", expected " + expected.elementType()));
        }
        if (!Arrays.equals(expected.dims(), actual.dims())) {
            return Optional.of(new Difference(Aspect.SHAPE,
                    "shape " + Arrays.toString(actual.dims()) + ", expected " + Arrays.toString(expected.dims())));
        }
        ElementType type = expected.elementType();
        if (type == ElementType.STRING) {
            List<String> e = expected.stringsUtf8();
            List<String> a = actual.stringsUtf8();
            for (int i = 0; i < e.size(); i++) {
                if (!e.get(i).equals(a.get(i))) {
                    return Optional.of(new Difference(Aspect.VALUES,
                            "element " + i + " is \"" + a.get(i) + "\", expected \"" + e.get(i) + "\""));
                }
            }
            return Optional.empty();
        }
        if (!isFloatingPoint(type)) {
            int mismatch = expected.data().mismatch(actual.data());
            return mismatch < 0 ? Optional.empty() : Optional.of(new Difference(Aspect.VALUES,
                    "byte " + mismatch + " differs (exact comparison for " + type + ")"));
        }
        long count = expected.elementCount();
        ByteBuffer e = expected.data();
        ByteBuffer a = actual.data();
        for (int i = 0; i < count; i++) {
            double ev = FloatDecoding.read(type, e, i);
            double av = FloatDecoding.read(type, a, i);
            boolean bothNaN = Double.isNaN(ev) && Double.isNaN(av);
            boolean sameInfinity = Double.isInfinite(ev) && ev == av;
            if (!bothNaN && !sameInfinity && !(Math.abs(av - ev) <= ATOL + RTOL * Math.abs(ev))) {
                return Optional.of(new Difference(Aspect.VALUES, "element " + i + " is " + av + ", expected " + ev));
            }
        }
        return Optional.empty();
    }

    private static boolean isFloatingPoint(ElementType type) {
        return type == ElementType.FLOAT || type == ElementType.DOUBLE
                || type == ElementType.FLOAT16 || type == ElementType.BFLOAT16;
    }

    private static String kind(TestData value) {
        return value.getClass().getSimpleName();
    }
}
