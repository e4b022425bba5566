package dev.tern.train;

import dev.tern.ir.Tensor;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.Feed;
import dev.tern.train.internal.LossSums;
import dev.tern.train.internal.TermMetrics;
import dev.tern.train.report.EpochStats;

import java.util.Map;

/**
 * The validation of a {@link TrainingSession}: the session's evaluation over the validation
 * batches, giving the validation loss and each term's, and each term's accuracy or errors
 * where its target is in the batch.
 */
final class SessionValidation implements EpochValidation {
    private final TrainingSession session;
    private final BatchSource batches;

    SessionValidation(TrainingSession session, BatchSource batches) {
        this.session = session;
        this.batches = batches;
    }

    /** Makes the validation of {@code session}, which has no parameter groups to name. */
    static EpochValidation.Factory factory(TrainingSession session) {
        return (batches, groups) -> {
            if (groups != null) {
                throw new IllegalStateException("validationGroups(...) names parameter groups of a "
                        + "GroupTrainingSession; this trainer trains a TrainingSession");
            }
            return new SessionValidation(session, batches);
        };
    }

    /**
     * Accepts every monitor: which accuracy and error metrics an epoch measures depends on the
     * targets the batches hold, so an unknown name is reported after the first epoch, by the
     * trainer, with the names that epoch measured.
     */
    @Override
    public void requireMeasures(Monitor monitor, String monitoredBy) {
    }

    @Override
    public EpochStats measure(int epoch, double trainLoss, double examplesPerSecond, Map<String, Double> metrics) {
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
