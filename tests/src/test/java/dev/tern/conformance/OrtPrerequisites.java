package dev.tern.conformance;

import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.onnx.TestData;

import java.util.Map;
import java.util.Optional;

/**
 * Whether ONNX Runtime, called through its Java API, can take a case at all: the data must
 * have the element types the model declares, every input must be a tensor the Java API can
 * create, and no expected output may be an optional, which the Java API hands back unwrapped.
 * Decided from the (independently confirmed) data and the model before anything runs.
 */
final class OrtPrerequisites {
    private OrtPrerequisites() {
    }

    /** The first prerequisite the case misses, or empty when ORT can be given it. */
    static Optional<SkipReason> missing(Model model, CaseData.DataSet dataSet) {
        return mismatchedType("input", model, dataSet.inputs())
                .or(() -> mismatchedType("output", model, dataSet.expected()))
                .or(() -> uncreatableInput(dataSet.inputs()))
                .or(() -> unreadableOutput(dataSet.expected()));
    }

    private static Optional<SkipReason> mismatchedType(String role, Model model, Map<String, TestData> values) {
        for (Map.Entry<String, TestData> entry : values.entrySet()) {
            if (entry.getValue() instanceof TestData.TensorData data
                    && declaredType(model, entry.getKey()) instanceof ValueType.TensorType declared
                    && declared.elementType() != data.tensor().elementType()) {
                return Optional.of(SkipReason.of(SkipReason.Category.TEST_DATA, role + " '" + entry.getKey()
                        + "' holds " + data.tensor().elementType() + " data, the model declares "
                        + declared.elementType()));
            }
        }
        return Optional.empty();
    }

    private static Optional<SkipReason> uncreatableInput(Map<String, TestData> inputs) {
        for (Map.Entry<String, TestData> input : inputs.entrySet()) {
            Optional<String> uncreatable = uncreatableKind(input.getValue());
            if (uncreatable.isPresent()) {
                return Optional.of(SkipReason.of(SkipReason.Category.JAVA_API,
                        "cannot create " + uncreatable.get() + " inputs ('" + input.getKey() + "')"));
            }
        }
        return Optional.empty();
    }

    /** What about {@code value} ORT's Java API cannot create ("UINT16 tensor", "sequence"), if anything. */
    private static Optional<String> uncreatableKind(TestData value) {
        if (value instanceof TestData.TensorData data) {
            ElementType type = data.tensor().elementType();
            return OrtValues.canCreate(type) ? Optional.empty() : Optional.of(type + " tensor");
        }
        if (value instanceof TestData.SequenceData) {
            return Optional.of("sequence");
        }
        if (value instanceof TestData.OptionalData) {
            return Optional.of("optional");
        }
        if (value instanceof TestData.MapData) {
            return Optional.of("map");
        }
        return Optional.of("sparse tensor");
    }

    private static Optional<SkipReason> unreadableOutput(Map<String, TestData> expected) {
        for (Map.Entry<String, TestData> output : expected.entrySet()) {
            if (output.getValue() instanceof TestData.OptionalData) {
                return Optional.of(SkipReason.of(SkipReason.Category.JAVA_API,
                        "returns optional outputs unwrapped, cannot tell them from their values ('"
                                + output.getKey() + "')"));
            }
        }
        return Optional.empty();
    }

    private static ValueType declaredType(Model model, String name) {
        for (Value value : model.graph().inputs()) {
            if (value.name().equals(name)) {
                return value.type();
            }
        }
        for (Value value : model.graph().outputs()) {
            if (value.name().equals(name)) {
                return value.type();
            }
        }
        return null;
    }
}
