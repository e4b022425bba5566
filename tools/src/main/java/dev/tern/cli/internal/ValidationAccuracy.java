package dev.tern.cli.internal;

import dev.tern.compress.quantize.AccuracyGuard;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.Feed;
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

    /** The accuracy of {@code model}'s output {@code scores} ({@code [batch, classes]}) on {@code batches} of int64 class labels. */
    static double of(Runtime runtime, Model model, String scores, BatchSource batches, SessionConfig config) {
        long correct = 0;
        long total = 0;
        try (CompiledModel compiled = runtime.compile(model, config)) {
            for (Feed batch : batches.epoch(0)) {
                long[] labels = batch.labels().toLongArray();
                correct += correctRows(compiled.run(batch.inputs()).get(scores), labels);
                total += labels.length;
            }
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** The validation inputs, batched. */
    List<Map<String, Tensor>> batches() {
        return batches;
    }

    @Override
    public double score(Model model) {
        int row = 0;
        long correct = 0;
        try (Runtime runtime = Runtime.create(); CompiledModel compiled = runtime.compile(model)) {
            for (Map<String, Tensor> batch : batches) {
                Tensor scores = compiled.run(batch).get(scoresOutput);
                long[] labels = new long[Math.toIntExact(scores.dims()[0])];
                for (int i = 0; i < labels.length; i++, row++) {
                    labels[i] = examples.classLabel(row);
                }
                correct += correctRows(scores, labels);
            }
        }
        return (double) correct / row;
    }

    /** How many rows of {@code scores} ({@code [rows, classes]}) have their largest score at their label. */
    private static int correctRows(Tensor scores, long[] labels) {
        float[] values = scores.toFloatArray();
        int classes = Math.toIntExact(scores.dims()[1]);
        int correct = 0;
        for (int row = 0; row < labels.length; row++) {
            if (argmax(values, row * classes, classes) == labels[row]) {
                correct++;
            }
        }
        return correct;
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
