package dev.tern.cli.internal;

import dev.tern.compress.quantize.AccuracyGuard;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.data.Dataset;
import java.util.List;
import java.util.Map;

/**
 * The accuracy of a classifier on labelled validation batches: the share of examples whose
 * largest score on the scores output is their class.
 */
final class ValidationAccuracy implements AccuracyGuard.Metric {
    private final List<Map<String, Tensor>> batches;
    private final Dataset examples;
    private final String scoresOutput;

    /** @param batches {@code examples} in order, batched */
    ValidationAccuracy(List<Map<String, Tensor>> batches, Dataset examples, String scoresOutput) {
        this.batches = List.copyOf(batches);
        this.examples = examples;
        this.scoresOutput = scoresOutput;
    }

    /** The validation inputs, batched. */
    List<Map<String, Tensor>> batches() {
        return batches;
    }

    @Override
    public double score(Model model) {
        int row = 0;
        int correct = 0;
        try (Runtime runtime = Runtime.create(); CompiledModel compiled = runtime.compile(model)) {
            for (Map<String, Tensor> batch : batches) {
                Tensor scores = compiled.run(batch).get(scoresOutput);
                float[] values = scores.toFloatArray();
                int classes = Math.toIntExact(scores.dims()[1]);
                for (int i = 0; i < values.length / classes; i++, row++) {
                    correct += argmax(values, i * classes, classes) == examples.classLabel(row) ? 1 : 0;
                }
            }
        }
        return (double) correct / row;
    }

    private static int argmax(float[] values, int offset, int count) {
        int best = 0;
        for (int c = 1; c < count; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }
}
