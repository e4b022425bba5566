package dev.tern.compress;

import dev.tern.compress.internal.EnsembleOpsets;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Merges classifiers into one ONNX model that runs them all on shared inputs and combines their
 * class probabilities.
 *
 * <p>Each member's first output holds class scores on its last axis. It counts as
 * probabilities when a default-domain Softmax produces it, and as logits otherwise, which get a
 * Softmax over the last axis. Members must import the same opset versions (an upgrade can
 * change an op's meaning, so none is converted), default opset at least 11, and hold no
 * subgraphs, sparse initializers or model-local functions. Graph inputs are shared by name: the
 * first member to name one defines it; another of the same rank must agree on its element type
 * and known dimensions, one of another rank is fed through a Reshape when every dimension but the
 * batch is known and the element counts per example match. An initializer listed among a
 * member's inputs stays an initializer.
 *
 * <p>The result's outputs: {@value #PROBABILITIES} (the mean, or the weighted mean, of the
 * members' probabilities) and, when voting, {@value #LABEL} (int64, the class most members rank
 * first; a tie goes to the class with the higher mean probability).
 */
public final class Ensemble {
    /** The name of the combined probabilities output. */
    public static final String PROBABILITIES = "probabilities";
    /** The name of the voted class output of {@link CombineMode#VOTE}. */
    public static final String LABEL = "label";

    private Ensemble() {
    }

    /**
     * An ensemble averaging or voting ({@link CombineMode#MEAN} or {@link CombineMode#VOTE}).
     *
     * @throws IllegalArgumentException if {@code mode} is {@link CombineMode#WEIGHTED} (use
     *     {@link #weighted}) or fewer than two members are given
     * @throws EnsembleException naming the member whose opsets or functions cannot be merged
     * @throws dev.tern.ir.passes.PassException from pass 'ensemble', naming the member and value that
     *     cannot be merged (the cause is then an {@link EnsembleException}), or if the merge leaves an
     *     invalid graph
     */
    public static Model merge(List<Model> members, CombineMode mode) {
        if (mode == CombineMode.WEIGHTED) {
            throw new IllegalArgumentException("a weighted ensemble needs weights: use Ensemble.weighted");
        }
        return build(members, mode, new double[0]);
    }

    /**
     * An ensemble whose probabilities are the members' weighted mean, the weights scaled to sum to 1.
     *
     * @throws IllegalArgumentException if there is not one weight per member, a weight is negative
     *     or not finite, all are zero, or fewer than two members are given
     * @throws EnsembleException naming the member whose opsets or functions cannot be merged
     * @throws dev.tern.ir.passes.PassException from pass 'ensemble', naming the member and value that
     *     cannot be merged (the cause is then an {@link EnsembleException}), or if the merge leaves an
     *     invalid graph
     */
    public static Model weighted(List<Model> members, double... weights) {
        if (weights.length != members.size()) {
            throw new IllegalArgumentException("expected one weight per member (" + members.size() + "), found "
                    + weights.length + ": " + Arrays.toString(weights));
        }
        double total = 0;
        for (double weight : weights) {
            if (!Double.isFinite(weight) || weight < 0) {
                throw new IllegalArgumentException("expected weights that are finite and not negative, found "
                        + Arrays.toString(weights));
            }
            total += weight;
        }
        if (total == 0) {
            throw new IllegalArgumentException("expected at least one weight above zero, found "
                    + Arrays.toString(weights));
        }
        double sum = total;
        return build(members, CombineMode.WEIGHTED, Arrays.stream(weights).map(w -> w / sum).toArray());
    }

    private static Model build(List<Model> members, CombineMode mode, double[] weights) {
        Objects.requireNonNull(mode, "mode");
        if (members.size() < 2) {
            throw new IllegalArgumentException("expected at least two members, found " + members.size());
        }
        for (int member = 0; member < members.size(); member++) {
            if (!members.get(member).functions().isEmpty()) {
                throw new EnsembleException("member " + member + " (graph '" + members.get(member).graph().name()
                        + "'): expected no model-local functions, found " + members.get(member).functions().size());
            }
        }
        Model ensemble = new Model(new Graph("ensemble"));
        ensemble.opsetImports().putAll(EnsembleOpsets.merge(members));
        ensemble.setIrVersion(members.stream().mapToLong(Model::irVersion).max().orElseThrow());
        ensemble.setProducerName("tern ensemble");
        return new EnsemblePass(members, mode, weights).apply(ensemble).model();
    }
}
