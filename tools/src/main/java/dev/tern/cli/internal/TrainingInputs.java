package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.train.Loss;
import dev.tern.train.LossTerms;
import dev.tern.train.data.BatchSource;
import java.util.List;

/**
 * What {@code tern finetune} trains: the model (the one read, or an encoder with a head put on
 * it), the loss terms over its outputs, weights trained whatever the options say (a new head),
 * the batches, and what the written model gets beyond its trained weights. {@link #close}
 * releases what the batches need while training (a tokenizer).
 *
 * @param loss the first term's function, which decides what the report compares
 * @param validation null when there is no validation data
 */
record TrainingInputs(Model model, LossTerms terms, Loss loss, List<String> alwaysTrained, BatchSource train,
                      BatchSource validation, int trainExamples, ExportAdditions export, AutoCloseable resources)
        implements AutoCloseable {

    /** The batch input that carries the labels to a loss over one output. */
    static final String LABELS = "target";

    /** {@code loss} between the model's output {@code prediction} and the batches' labels. */
    static LossTerms againstLabels(Loss loss, String prediction) {
        return Loss.term(loss, prediction, LABELS);
    }

    /** These inputs trained with {@code newTerms} instead, {@code reported} being the first term's function. */
    TrainingInputs withLoss(LossTerms newTerms, Loss reported) {
        return new TrainingInputs(model, newTerms, reported, alwaysTrained, train, validation, trainExamples, export,
                resources);
    }

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
