package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.train.Loss;
import dev.tern.train.data.BatchSource;
import java.util.List;

/**
 * What {@code tern finetune} trains: the model (the one read, or an encoder with a head put on
 * it), the output the loss reads and the loss, weights trained whatever the options say (a new
 * head), the batches, and what the written model gets beyond its trained weights. {@link #close}
 * releases what the batches need while training (a tokenizer).
 *
 * @param validation null when there is no validation data
 */
record TrainingInputs(Model model, String predictionOutput, Loss loss, List<String> alwaysTrained, BatchSource train,
                      BatchSource validation, int trainExamples, ExportAdditions export, AutoCloseable resources)
        implements AutoCloseable {

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
