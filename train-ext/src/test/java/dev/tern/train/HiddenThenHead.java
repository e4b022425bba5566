package dev.tern.train;

import dev.tern.ir.Tensor;
import dev.tern.train.data.Feed;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The group steps of the group-trainer tests' MLP, whose hidden layer and head are parameter
 * groups {@value #HIDDEN} and {@value #HEAD}: each batch steps the hidden layer, then the head,
 * both fed the batch's inputs and its labels as {@value #TARGET}.
 */
final class HiddenThenHead implements GroupSteps {
    static final String HIDDEN = "hidden";
    static final String HEAD = "head";
    static final String TARGET = "target";

    @Override
    public Map<String, Double> steps(GroupTrainingSession session, Feed batch) {
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put(HIDDEN, session.step(feed(batch), HIDDEN).loss());
        losses.put(HEAD, session.step(feed(batch), HEAD).loss());
        return losses;
    }

    /** The batch's inputs and its labels as {@value #TARGET}. */
    static Map<String, Tensor> feed(Feed batch) {
        Map<String, Tensor> feed = new HashMap<>(batch.inputs());
        feed.put(TARGET, batch.labels());
        return feed;
    }
}
