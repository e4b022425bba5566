package dev.tern.conformance;

import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.tern.ir.InferenceReport;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Tensor;
import dev.tern.ir.TernException;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import dev.tern.onnx.TestData;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks Tern's shape inference on one backend case against what ONNX Runtime computes. The
 * model is inferred twice: as it is, where no inferred type may contradict a declared one, and
 * with the types of every node output of the main graph erased, so that inference alone must
 * find them. A third copy whose graph outputs also list every node output runs in ORT on the
 * case's first data set, and each erased-then-inferred type is judged against ORT's value and
 * counted under its op type ({@link ShapeAgreement}).
 */
final class ShapeProbe {
    private final OrtEnvironment env;

    ShapeProbe(OrtEnvironment env) {
        this.env = env;
    }

    /**
     * The case's agreement, or a skipped result when Tern cannot read the case or ORT cannot run
     * the probe model; a disagreement between Tern's decoder and the independent reader is a
     * disagreement of the case.
     */
    ShapeAgreement check(BackendCase testCase) {
        Model declared;
        Model inferred;
        Model probe;
        Map<String, TestData> inputs;
        try {
            declared = OnnxImporter.read(testCase.model());
            inputs = CaseData.read(testCase, declared).get(0).inputs();
            inferred = OnnxImporter.read(testCase.model());
            probe = OnnxImporter.read(testCase.model());
        } catch (TernException | IOException | IndexOutOfBoundsException e) {
            return ShapeAgreement.skipped(testCase, "cannot read the case: " + e.getMessage());
        } catch (CaseData.DecoderDisagreementException e) {
            ShapeAgreement agreement = new ShapeAgreement(testCase);
            agreement.disagree(e.getMessage());
            return agreement;
        }
        ShapeAgreement agreement = new ShapeAgreement(testCase);
        InferenceReport report = ShapeInference.infer(declared);
        report.contradictions().forEach(c -> agreement.disagree(c.describe()));
        report.conflicts().forEach(c -> agreement.disagree(c.describe()));
        eraseNodeOutputTypes(inferred);
        InferenceReport erasedReport = ShapeInference.infer(inferred);
        erasedReport.conflicts().forEach(c -> agreement.disagree(c.describe()));
        agreement.noteOpsWithoutRule(erasedReport.opsWithoutRule().keySet());
        exposeIntermediates(probe);
        try {
            Map<String, OnnxValue> actual = runProbe(probe, inputs);
            try {
                compare(inferred, inputs, actual, agreement);
            } finally {
                OnnxValue.close(actual);
            }
        } catch (OrtException | UnsupportedCaseException e) {
            return ShapeAgreement.skipped(testCase, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return agreement;
    }

    private static void eraseNodeOutputTypes(Model model) {
        for (Node node : model.graph().nodes()) {
            for (Value output : node.outputs()) {
                if (output != null) {
                    output.setType(null);
                }
            }
        }
    }

    /** Makes every node output of the main graph a graph output too, untyped so ORT applies its own inference. */
    private static void exposeIntermediates(Model probe) {
        List<Value> outputs = probe.graph().outputs();
        for (Node node : probe.graph().nodes()) {
            for (Value output : node.outputs()) {
                if (output != null && !outputs.contains(output)) {
                    output.setType(null);
                    probe.graph().addOutput(output);
                }
            }
        }
    }

    private Map<String, OnnxValue> runProbe(Model probe, Map<String, TestData> inputs) throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            // Optimizations may fuse away the very intermediates being checked.
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(OnnxExporter.toBytes(probe), options)) {
                for (Map.Entry<String, TestData> input : inputs.entrySet()) {
                    feeds.put(input.getKey(), OrtValues.toOrt(env, CaseRunner.tensorInput(input.getValue())));
                }
                Map<String, OnnxValue> results = new LinkedHashMap<>();
                OrtSession.Result result = session.run(feeds);
                // The Result owns the values; taking them out of it keeps them open after the session closes.
                for (Map.Entry<String, OnnxValue> entry : result) {
                    results.put(entry.getKey(), entry.getValue());
                }
                return results;
            }
        } finally {
            OnnxValue.close(feeds);
        }
    }

    /** Checks the fed inputs, then judges every node output of the main graph that ORT produced. */
    private static void compare(Model inferred, Map<String, TestData> inputs, Map<String, OnnxValue> actual,
                                ShapeAgreement agreement) throws OrtException {
        for (Value input : inferred.graph().inputs()) {
            if (inputs.get(input.name()) instanceof TestData.TensorData fed) {
                Tensor tensor = fed.tensor();
                agreement.compareInput(input, new ShapeAgreement.Actual(tensor.elementType(), tensor.dims()));
            }
        }
        for (Node node : inferred.graph().nodes()) {
            String op = CaseRunner.opKey(node);
            for (Value output : node.outputs()) {
                OnnxValue value = output == null ? null : actual.get(output.name());
                if (value instanceof OnnxTensor tensor) {
                    agreement.compareOutput(op, output, actual(tensor));
                } else if (value instanceof OnnxSequence sequence && tensorElements(sequence).isPresent()) {
                    agreement.compareOutput(op, output, tensorElements(sequence).get());
                } else if (value != null) {
                    agreement.disagree("value '" + output.name() + "': ORT made a " + value.getType()
                            + ", which this test cannot judge");
                }
            }
        }
    }

    /** The elements of a sequence of tensors; empty for a sequence of anything else. */
    private static Optional<List<ShapeAgreement.Actual>> tensorElements(OnnxSequence sequence) throws OrtException {
        List<ShapeAgreement.Actual> elements = new ArrayList<>();
        if (sequence.getInfo().length == 0) {
            // ORT's Java API cannot list the elements of an empty sequence: their type is unknown to it.
            return Optional.of(elements);
        }
        for (OnnxValue element : sequence.getValue()) {
            if (!(element instanceof OnnxTensor tensor)) {
                return Optional.empty();
            }
            elements.add(actual(tensor));
        }
        return Optional.of(elements);
    }

    private static ShapeAgreement.Actual actual(OnnxTensor tensor) {
        TensorInfo info = tensor.getInfo();
        return new ShapeAgreement.Actual(OrtValues.elementType(info.onnxType), info.getShape());
    }
}
