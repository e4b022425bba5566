package dev.tern.conformance;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.NativeTensor;
import dev.tern.exec.Outputs;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.TernException;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
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
 * Runs one backend case. Tern imports and exports the model (which must succeed, and repeat
 * byte-identically, for every case); ONNX Runtime, called directly, runs the original file;
 * then Tern's executor runs the re-imported export. Both runs are checked against the case's
 * expected outputs.
 */
final class CaseRunner {
    /** Expected outputs of one data set, and the inputs that produce them. */
    record DataSet(Path dir, Map<String, TestData> inputs, Map<String, TestData> expected) {
    }

    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();

    private final OrtEnvironment env;
    private final Runtime runtime;

    CaseRunner(OrtEnvironment env, Runtime runtime) {
        this.env = env;
        this.runtime = runtime;
    }

    CaseResult run(BackendCase testCase) {
        Model roundTripped;
        List<DataSet> dataSets;
        try {
            Model model = OnnxImporter.read(testCase.model());
            dataSets = readDataSets(testCase, model);
            byte[] exported = OnnxExporter.toBytes(model);
            roundTripped = OnnxImporter.read(exported);
            byte[] again = OnnxExporter.toBytes(roundTripped);
            if (!Arrays.equals(exported, again)) {
                return CaseResult.failed(testCase, "second round trip is not byte-identical to the first ("
                        + again.length + " vs " + exported.length + " bytes)");
            }
        } catch (TernException | IOException e) {
            return CaseResult.failed(testCase, "round trip failed: " + e.getMessage());
        }

        Optional<String> original = runWithOrt(testCase.model(), dataSets);
        if (original.isPresent()) {
            return CaseResult.skipped(testCase, original.get());
        }
        return runWithTern(roundTripped, dataSets)
                .map(reason -> CaseResult.failed(testCase, "Tern executor on the round-tripped model: " + reason))
                .orElse(CaseResult.passed(testCase));
    }

    /** The case's data sets, read with the types {@code model} declares for its inputs and outputs. */
    static List<DataSet> readDataSets(BackendCase testCase, Model model) throws IOException {
        List<Value> inputs = model.graph().inputs().stream().filter(v -> !v.isInitializer()).toList();
        List<Value> outputs = model.graph().outputs();
        List<DataSet> dataSets = new ArrayList<>();
        for (Path dir : testCase.dataSets()) {
            Map<String, TestData> feeds = new LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                Path file = dir.resolve("input_" + i + ".pb");
                if (Files.exists(file)) {
                    feeds.put(inputs.get(i).name(), OnnxImporter.readValue(file, inputs.get(i).type()));
                }
            }
            Map<String, TestData> expected = new LinkedHashMap<>();
            for (int i = 0; i < outputs.size(); i++) {
                Value output = outputs.get(i);
                expected.put(output.name(), OnnxImporter.readValue(dir.resolve("output_" + i + ".pb"), output.type()));
            }
            dataSets.add(new DataSet(dir, feeds, expected));
        }
        return dataSets;
    }

    /** ONNX Runtime called directly on the original file; empty when every data set matches. */
    private Optional<String> runWithOrt(Path modelFile, List<DataSet> dataSets) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(modelFile.toString(), options)) {
                for (DataSet dataSet : dataSets) {
                    Optional<String> difference = runWithOrt(session, dataSet);
                    if (difference.isPresent()) {
                        return Optional.of(dataSet.dir().getFileName() + ": " + difference.get());
                    }
                }
                return Optional.empty();
            }
        } catch (OrtException | RuntimeException e) {
            // Whatever ORT or the value bridge throws means ORT cannot run the case as it is.
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Optional<String> runWithOrt(OrtSession session, DataSet dataSet) throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, TestData> input : dataSet.inputs().entrySet()) {
                feeds.put(input.getKey(), OrtValues.toOrt(env, tensorInput(input.getValue())));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, TestData> expected : dataSet.expected().entrySet()) {
                    OnnxValue value = result.get(expected.getKey()).orElseThrow(
                            () -> new IllegalStateException("no output '" + expected.getKey() + "'"));
                    Optional<String> difference = OutputComparison.difference(
                            expected.getValue(), OrtValues.fromOrt(expected.getKey(), value));
                    if (difference.isPresent()) {
                        return Optional.of("output '" + expected.getKey() + "': " + difference.get());
                    }
                }
                return Optional.empty();
            }
        } finally {
            OnnxValue.close(feeds);
        }
    }

    /** Tern's executor on the round-tripped model; empty when every data set matches. */
    private Optional<String> runWithTern(Model model, List<DataSet> dataSets) {
        try (CompiledModel compiled = runtime.compile(model, ONE_THREAD)) {
            for (DataSet dataSet : dataSets) {
                Optional<String> difference = runWithTern(compiled, dataSet);
                if (difference.isPresent()) {
                    return Optional.of(dataSet.dir().getFileName() + ": " + difference.get());
                }
            }
            return Optional.empty();
        } catch (TernException e) {
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Optional<String> runWithTern(CompiledModel model, DataSet dataSet) {
        Map<String, NativeTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, TestData> input : dataSet.inputs().entrySet()) {
                feeds.put(input.getKey(), NativeTensor.wrap(tensorInput(input.getValue())));
            }
            try (Outputs outputs = model.runNative(feeds)) {
                for (Map.Entry<String, TestData> expected : dataSet.expected().entrySet()) {
                    String name = expected.getKey();
                    TestData actual = expected.getValue() instanceof TestData.SequenceData
                            ? new TestData.SequenceData(outputs.tensorSequence(name).stream()
                                    .<TestData>map(TestData.TensorData::new).toList())
                            : new TestData.TensorData(outputs.tensor(name).toTensor(name));
                    Optional<String> difference = OutputComparison.difference(expected.getValue(), actual);
                    if (difference.isPresent()) {
                        return Optional.of("output '" + name + "': " + difference.get());
                    }
                }
                return Optional.empty();
            }
        } finally {
            feeds.values().forEach(NativeTensor::close);
        }
    }

    /**
     * The tensor of a test input.
     *
     * @throws UnsupportedCaseException for sequences, maps and optionals, which ORT's Java API cannot feed
     */
    static dev.tern.ir.Tensor tensorInput(TestData value) {
        if (value instanceof TestData.TensorData tensor) {
            return tensor.tensor();
        }
        throw new UnsupportedCaseException("ORT's Java API cannot create " + value.getClass().getSimpleName() + " inputs");
    }
}
