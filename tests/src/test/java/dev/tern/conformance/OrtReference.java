package dev.tern.conformance;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.onnx.TestData;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * ONNX Runtime called directly on a case's original file: the reference that says whether a
 * case is fit to judge Tern by. Every obstacle it reports comes from ORT itself (its load,
 * its run, its result, its Java API); anything else it throws is a bug of the test and
 * propagates.
 */
final class OrtReference {
    private final OrtEnvironment env;

    OrtReference(OrtEnvironment env) {
        this.env = env;
    }

    /**
     * Runs {@code modelFile} on every data set; empty when ORT matches every expected output.
     *
     * @param producerOf the op type that computes a graph output, named in the skip reason
     */
    Optional<SkipReason> run(Path modelFile, List<CaseData.DataSet> dataSets, Function<String, String> producerOf) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            OrtSession session;
            try {
                session = env.createSession(modelFile.toString(), options);
            } catch (OrtException e) {
                return Optional.of(fromOrt(SkipReason.Category.ORT_LOAD, e));
            }
            try (session) {
                for (CaseData.DataSet dataSet : dataSets) {
                    Optional<SkipReason> obstacle = run(session, dataSet, producerOf);
                    if (obstacle.isPresent()) {
                        return obstacle;
                    }
                }
                return Optional.empty();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed outside loading and running " + modelFile, e);
        }
    }

    private Optional<SkipReason> run(OrtSession session, CaseData.DataSet dataSet, Function<String, String> producerOf)
            throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, TestData> input : dataSet.inputs().entrySet()) {
                feeds.put(input.getKey(), OrtValues.toOrt(env, CaseRunner.tensorInput(input.getValue())));
            }
            OrtSession.Result result;
            try {
                result = session.run(feeds);
            } catch (OrtException e) {
                return Optional.of(fromOrt(SkipReason.Category.ORT_RUN, e));
            }
            try (result) {
                return compare(result, dataSet, producerOf);
            }
        } catch (UnsupportedCaseException e) {
            return Optional.of(SkipReason.of(SkipReason.Category.JAVA_API, e.getMessage()));
        } finally {
            OnnxValue.close(feeds);
        }
    }

    private static Optional<SkipReason> compare(OrtSession.Result result, CaseData.DataSet dataSet,
                                                Function<String, String> producerOf) throws OrtException {
        for (Map.Entry<String, TestData> expected : dataSet.expected().entrySet()) {
            String name = expected.getKey();
            OnnxValue value = result.get(name).orElseThrow(
                    () -> new IllegalStateException("ONNX Runtime returned no output '" + name + "'"));
            Optional<OutputComparison.Difference> difference =
                    OutputComparison.difference(expected.getValue(), OrtValues.fromOrt(name, value));
            if (difference.isPresent()) {
                String output = "output '" + name + "' of " + producerOf.apply(name);
                return Optional.of(new SkipReason(SkipReason.Category.ORT_RESULT,
                        output + ": " + difference.get().aspect().phrase(),
                        dataSet.dir().getFileName() + ", " + output + ": " + difference.get().description()));
            }
        }
        return Optional.empty();
    }

    private static SkipReason fromOrt(SkipReason.Category category, OrtException e) {
        return new SkipReason(category, OrtMessages.essential(e), OrtMessages.firstLine(e.getMessage()));
    }
}
