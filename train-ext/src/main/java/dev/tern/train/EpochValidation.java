package dev.tern.train;

import dev.tern.ir.Tensor;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.Feed;
import dev.tern.train.internal.LossSums;
import dev.tern.train.internal.TermMetrics;
import dev.tern.train.report.EpochStats;

import java.util.Map;

/**
 * A {@link Trainer}'s validation after each epoch: the session's evaluation over the validation
 * batches, giving the validation loss and each term's, and each term's accuracy or errors
 * where its target is in the batch.
 */
final class EpochValidation {
    private final TrainingSession session;
    private final BatchSource batches;

    EpochValidation(TrainingSession session, BatchSource batches) {
        this.session = session;
        this.batches = batches;
    }

    /**
     * The stats of epoch {@code epoch}: its training measurements, and the validation ones added
     * to {@code metrics}, which already holds the training losses.
     */
    EpochStats measure(int epoch, double trainLoss, double examplesPerSecond, Map<String, Double> metrics) {
        LossSums losses = new LossSums();
        TermMetrics errors = new TermMetrics(session.loss().terms());
        for (Feed batch : batches.epoch(0)) {
            Map<String, Tensor> feed = BatchStep.feed(session, batch);
            Evaluation evaluation = session.evaluate(feed);
            losses.add(evaluation.loss(), evaluation.terms(), batch.size());
            errors.add(evaluation.outputs(), feed);
        }
        metrics.putAll(losses.means("validation"));
        metrics.putAll(errors.named("validation"));
        String first = session.loss().terms().get(0).name();
        return new EpochStats(epoch, trainLoss, losses.meanLoss(), errors.accuracy(first), examplesPerSecond,
                errors.rootMeanSquaredError(first), errors.meanAbsoluteError(first), metrics);
    }
}
