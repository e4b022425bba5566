package dev.tern.conformance;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.onnx.OnnxImporter;
import dev.tern.onnx.TestData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A backend case's data sets as Tern's decoder reads them, every file confirmed by
 * {@link IndependentTestDataReader}: whatever later looks wrong about the data (ORT's output
 * differing from the expected one, a type ORT's Java API cannot feed) is then in the files
 * themselves and not an artefact of Tern's decoder.
 */
final class CaseData {
    /** Expected outputs of one data set, and the inputs that produce them. */
    record DataSet(Path dir, Map<String, TestData> inputs, Map<String, TestData> expected) {
    }

    /** Tern's decoder and the independent reader disagree about a file, or only one of them can read it. */
    static final class DecoderDisagreementException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DecoderDisagreementException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private CaseData() {
    }

    /**
     * The case's data sets, read with the types {@code model} declares for its inputs and outputs.
     *
     * @throws IOException if a file cannot be read
     * @throws dev.tern.ir.TernException if Tern's decoder rejects a file
     * @throws DecoderDisagreementException if the independent reading of a file differs from Tern's
     */
    static List<DataSet> read(BackendCase testCase, Model model) throws IOException {
        List<Value> inputs = model.graph().inputs().stream().filter(v -> !v.isInitializer()).toList();
        List<Value> outputs = model.graph().outputs();
        List<DataSet> dataSets = new ArrayList<>();
        for (Path dir : testCase.dataSets()) {
            Map<String, TestData> feeds = new LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                Path file = dir.resolve("input_" + i + ".pb");
                if (Files.exists(file)) {
                    feeds.put(inputs.get(i).name(), readConfirmed(file, inputs.get(i).type()));
                }
            }
            Map<String, TestData> expected = new LinkedHashMap<>();
            for (int i = 0; i < outputs.size(); i++) {
                Value output = outputs.get(i);
                expected.put(output.name(), readConfirmed(dir.resolve("output_" + i + ".pb"), output.type()));
            }
            dataSets.add(new DataSet(dir, feeds, expected));
        }
        return dataSets;
    }

    private static TestData readConfirmed(Path file, ValueType type) throws IOException {
        TestData tern = OnnxImporter.readValue(file, type);
        TestData independent;
        try {
            independent = IndependentTestDataReader.read(file, type);
        } catch (RuntimeException e) {
            throw new DecoderDisagreementException(file + ": Tern's decoder read it, the independent reader"
                    + " could not: " + e.getMessage(), e);
        }
        Optional<String> difference = difference(tern, independent);
        if (difference.isPresent()) {
            throw new DecoderDisagreementException(file + ": Tern's decoder and the independent reader disagree: "
                    + difference.get(), null);
        }
        return tern;
    }

    /** The first way Tern's reading differs from the independent one, bit for bit; empty when they agree. */
    static Optional<String> difference(TestData tern, TestData independent) {
        if (tern instanceof TestData.TensorData t && independent instanceof TestData.TensorData i) {
            return tensorDifference(t.tensor(), i.tensor());
        }
        if (tern instanceof TestData.SequenceData t && independent instanceof TestData.SequenceData i) {
            return listDifference("sequence", t.elements(), i.elements());
        }
        if (tern instanceof TestData.OptionalData t && independent instanceof TestData.OptionalData i) {
            if (t.value().isPresent() != i.value().isPresent()) {
                return Optional.of("Tern read an optional " + (t.value().isPresent() ? "with" : "without")
                        + " a value, the independent reader one " + (i.value().isPresent() ? "with" : "without"));
            }
            return t.value().flatMap(value -> difference(value, i.value().orElseThrow()))
                    .map(d -> "optional's value: " + d);
        }
        return Optional.of("Tern read a " + tern.getClass().getSimpleName() + ", the independent reader a "
                + independent.getClass().getSimpleName());
    }

    private static Optional<String> listDifference(String what, List<TestData> tern, List<TestData> independent) {
        if (tern.size() != independent.size()) {
            return Optional.of(what + " of " + tern.size() + " elements for Tern, " + independent.size()
                    + " for the independent reader");
        }
        for (int i = 0; i < tern.size(); i++) {
            Optional<String> difference = difference(tern.get(i), independent.get(i));
            if (difference.isPresent()) {
                return Optional.of(what + " element " + i + ": " + difference.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> tensorDifference(Tensor tern, Tensor independent) {
        if (tern.contentEquals(independent)) {
            return Optional.empty();
        }
        return Optional.of("Tern read " + tern.elementType() + Arrays.toString(tern.dims()) + ", the independent"
                + " reader " + independent.elementType() + Arrays.toString(independent.dims())
                + (tern.elementType() == independent.elementType() && Arrays.equals(tern.dims(), independent.dims())
                        ? " with other element values" : ""));
    }
}
