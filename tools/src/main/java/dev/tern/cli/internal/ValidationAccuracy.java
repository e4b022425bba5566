package dev.tern.cli.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.Feed;

/** A classifier's accuracy on validation batches: the share of rows whose highest score is at the labelled class. */
final class ValidationAccuracy {
    private ValidationAccuracy() {
    }

    /** The accuracy of {@code model}'s output {@code scores} ({@code [batch, classes]}) on {@code batches} of int64 class labels. */
    static double of(Runtime runtime, Model model, String scores, BatchSource batches, SessionConfig config) {
        long correct = 0;
        long total = 0;
        try (CompiledModel compiled = runtime.compile(model, config)) {
            for (Feed batch : batches.epoch(0)) {
                Tensor output = compiled.run(batch.inputs()).get(scores);
                long[] labels = batch.labels().toLongArray();
                float[] values = output.toFloatArray();
                int classes = Math.toIntExact(output.dims()[1]);
                for (int row = 0; row < labels.length; row++) {
                    if (argmax(values, row * classes, classes) == labels[row]) {
                        correct++;
                    }
                }
                total += labels.length;
            }
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    private static int argmax(float[] values, int offset, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
