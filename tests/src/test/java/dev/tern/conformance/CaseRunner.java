package dev.tern.conformance;

import ai.onnxruntime.OrtEnvironment;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.NativeTensor;
import dev.tern.exec.Outputs;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.TernException;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import dev.tern.onnx.TestData;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one backend case. Tern imports the model and reads its data (confirmed by an
 * independent reader), exports and re-imports the model (which must repeat byte-identically);
 * these must succeed for every case. Then the case is skipped if ONNX Runtime cannot be given
 * it ({@link OrtPrerequisites}), if it draws random numbers ({@link RandomOps}), or if ONNX
 * Runtime, called directly on the original file, does not match the expected outputs
 * ({@link OrtReference}); otherwise Tern's executor runs the re-imported export and must match
 * them.
 */
final class CaseRunner {
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();

    private final OrtReference reference;
    private final Runtime runtime;

    CaseRunner(OrtEnvironment env, Runtime runtime) {
        this.reference = new OrtReference(env);
        this.runtime = runtime;
    }

    CaseResult run(BackendCase testCase) {
        try {
            return runChecked(testCase);
        } catch (RuntimeException e) {
            // Never a skip: an exception nobody expected is a bug, in Tern or in this test.
            return new CaseResult.Failed(testCase, "unexpected " + e);
        }
    }

    private CaseResult runChecked(BackendCase testCase) {
        Model model;
        List<CaseData.DataSet> dataSets;
        try {
            model = OnnxImporter.read(testCase.model());
            dataSets = CaseData.read(testCase, model);
        } catch (TernException | IOException | CaseData.DecoderDisagreementException e) {
            return new CaseResult.Failed(testCase, "reading the case failed: " + e.getMessage());
        }
        Model roundTripped;
        try {
            byte[] exported = OnnxExporter.toBytes(model);
            roundTripped = OnnxImporter.read(exported);
            byte[] again = OnnxExporter.toBytes(roundTripped);
            if (!Arrays.equals(exported, again)) {
                return new CaseResult.Failed(testCase, "second round trip is not byte-identical to the first ("
                        + again.length + " vs " + exported.length + " bytes)");
            }
        } catch (TernException e) {
            return new CaseResult.Failed(testCase, "round trip failed: " + e.getMessage());
        }

        Optional<SkipReason> obstacle = dataSets.stream()
                .map(dataSet -> OrtPrerequisites.missing(model, dataSet))
                .flatMap(Optional::stream)
                .findFirst()
                .or(() -> RandomOps.in(model))
                .or(() -> reference.run(testCase.model(), dataSets, name -> producerOf(model, name)));
        if (obstacle.isPresent()) {
            return new CaseResult.Skipped(testCase, obstacle.get());
        }
        return runWithTern(roundTripped, dataSets)
                .<CaseResult>map(reason -> new CaseResult.Failed(testCase,
                        "Tern executor on the round-tripped model: " + reason))
                .orElse(new CaseResult.Passed(testCase));
    }

    /** The op type computing graph output {@code name} ("domain::Op" outside the default domain). */
    private static String producerOf(Model model, String name) {
        for (Value output : model.graph().outputs()) {
            if (output.name().equals(name)) {
                Node producer = output.producer();
                return producer == null ? "no node (a graph input or initializer)" : opKey(producer);
            }
        }
        throw new IllegalArgumentException("no graph output '" + name + "'");
    }

    /** "Op" in the default domain, "domain::Op" elsewhere. */
    static String opKey(Node node) {
        return node.domain().isEmpty() || node.domain().equals("ai.onnx")
                ? node.opType() : node.domain() + "::" + node.opType();
    }

    /** Tern's executor on the round-tripped model; empty when every data set matches. */
    private Optional<String> runWithTern(Model model, List<CaseData.DataSet> dataSets) {
        try (CompiledModel compiled = runtime.compile(model, ONE_THREAD)) {
            for (CaseData.DataSet dataSet : dataSets) {
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

    private static Optional<String> runWithTern(CompiledModel model, CaseData.DataSet dataSet) {
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
                    Optional<OutputComparison.Difference> difference =
                            OutputComparison.difference(expected.getValue(), actual);
                    if (difference.isPresent()) {
                        return Optional.of("output '" + name + "': " + difference.get().description());
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
