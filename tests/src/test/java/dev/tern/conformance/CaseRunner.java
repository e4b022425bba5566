package dev.tern.conformance;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
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
 * Runs one backend case: Tern's import and export (which must succeed, and repeat
 * byte-identically, for every case), then ONNX Runtime on the original file and on the
 * exported model, each against the case's expected outputs.
 */
final class CaseRunner {
    /** Expected outputs of one data set, and the inputs that produce them. */
    private record DataSet(Path dir, Map<String, TestData> inputs, List<TestData> expected) {
    }

    private final OrtEnvironment env;

    CaseRunner(OrtEnvironment env) {
        this.env = env;
    }

    CaseResult run(BackendCase testCase) {
        Model model;
        List<DataSet> dataSets;
        byte[] exported;
        try {
            model = OnnxImporter.read(testCase.model());
            dataSets = readDataSets(testCase, model);
            exported = OnnxExporter.toBytes(model);
            byte[] again = OnnxExporter.toBytes(OnnxImporter.read(exported));
            if (!Arrays.equals(exported, again)) {
                return CaseResult.failed(testCase, "second round trip is not byte-identical to the first ("
                        + again.length + " vs " + exported.length + " bytes)");
            }
        } catch (TernException | IOException e) {
            return CaseResult.failed(testCase, "round trip failed: " + e.getMessage());
        }

        Optional<String> original = runAll(testCase.model().toString(), null, dataSets);
        if (original.isPresent()) {
            return CaseResult.skipped(testCase, original.get());
        }
        return runAll(null, exported, dataSets)
                .map(reason -> CaseResult.failed(testCase, "exported model: " + reason))
                .orElse(CaseResult.passed(testCase));
    }

    private static List<DataSet> readDataSets(BackendCase testCase, Model model) throws IOException {
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
            List<TestData> expected = new ArrayList<>();
            for (int i = 0; i < outputs.size(); i++) {
                expected.add(OnnxImporter.readValue(dir.resolve("output_" + i + ".pb"), outputs.get(i).type()));
            }
            dataSets.add(new DataSet(dir, feeds, expected));
        }
        return dataSets;
    }

    /** Runs every data set on a session from {@code path} or {@code bytes}; empty when all match. */
    private Optional<String> runAll(String path, byte[] bytes, List<DataSet> dataSets) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = path != null ? env.createSession(path, options)
                    : env.createSession(bytes, options)) {
                for (DataSet dataSet : dataSets) {
                    Optional<String> difference = runOne(session, dataSet);
                    if (difference.isPresent()) {
                        return Optional.of(dataSet.dir().getFileName() + ": " + difference.get());
                    }
                }
                return Optional.empty();
            }
        } catch (OrtException | RuntimeException e) {
            // Anything ORT or the value bridge throws ends this run; the caller decides whether
            // that makes the case skipped (original model) or failed (exported model).
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Optional<String> runOne(OrtSession session, DataSet dataSet) throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, TestData> input : dataSet.inputs().entrySet()) {
                if (!(input.getValue() instanceof TestData.TensorData tensor)) {
                    throw new UnsupportedCaseException("ORT's Java API cannot create "
                            + input.getValue().getClass().getSimpleName() + " inputs");
                }
                feeds.put(input.getKey(), OrtValues.toOrt(env, tensor.tensor()));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                if (result.size() != dataSet.expected().size()) {
                    return Optional.of(result.size() + " outputs, expected " + dataSet.expected().size());
                }
                for (int i = 0; i < result.size(); i++) {
                    OnnxValue value = result.get(i);
                    Optional<String> difference = OutputComparison.difference(
                            dataSet.expected().get(i), OrtValues.fromOrt("output " + i, value));
                    if (difference.isPresent()) {
                        return Optional.of("output " + i + ": " + difference.get());
                    }
                }
                return Optional.empty();
            }
        } finally {
            OnnxValue.close(feeds);
        }
    }
}
