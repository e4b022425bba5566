package dev.tern.train;

import dev.tern.ir.Tensor;
import dev.tern.train.data.Feed;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link Trainer} does with one training batch: a session's step, or a group session's
 * {@link GroupSteps}; either way the losses it reports for the batch.
 */
@FunctionalInterface
interface BatchStep {
    /** Trains on {@code batch}. */
    Losses train(Feed batch);

    /**
     * A batch's mean loss and each term's, by term name in order.
     */
    record Losses(double total, Map<String, Double> terms) {
    }

    /** One step of {@code session} per batch, fed by {@link #feed}. */
    static BatchStep of(TrainingSession session) {
        return batch -> {
            StepResult result = session.step(feed(session, batch));
            return new Losses(result.loss(), result.terms());
        };
    }

    /** {@code steps} on {@code session} per batch; each group's loss a term, their sum the total. */
    static BatchStep of(GroupTrainingSession session, GroupSteps steps) {
        return batch -> {
            Map<String, Double> groups = new LinkedHashMap<>(steps.steps(session, batch));
            double total = groups.values().stream().mapToDouble(Double::doubleValue).sum();
            return new Losses(total, groups);
        };
    }

    /** The batch's inputs, and its labels under the session's first target column the inputs do not feed, if any. */
    static Map<String, Tensor> feed(TrainingSession session, Feed batch) {
        Map<String, Tensor> feed = new HashMap<>(batch.inputs());
        session.targetColumns().stream().filter(column -> !feed.containsKey(column)).findFirst()
                .ifPresent(column -> feed.put(column, batch.labels()));
        return feed;
    }
}
