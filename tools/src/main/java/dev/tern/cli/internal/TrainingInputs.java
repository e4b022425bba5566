package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.train.data.BatchSource;
import java.util.List;

/**
 * What {@code tern finetune} trains: the model (the one read, or an encoder with a head put on
 * it), the output the loss reads, weights trained whatever the options say (a new head), and
 * the batches. {@link #close} releases what the batches need while training (a tokenizer).
 *
 * @param validation null when there is no validation data
 */
record TrainingInputs(Model model, String predictionOutput, List<String> alwaysTrained, BatchSource train,
                      BatchSource validation, int trainExamples, AutoCloseable resources) implements AutoCloseable {

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
