package dev.tern.train;

import dev.tern.train.data.Feed;

import java.util.Map;

/**
 * The steps a {@link Trainer} takes on each batch of a {@link GroupTrainingSession}: which
 * groups step, in what order, on what columns. A GAN's discriminator steps on the real batch and
 * fresh noise, then its generator on new noise:
 *
 * <pre>{@code
 * GroupSteps adversarial = (session, batch) -> {
 *     double d = session.step(discriminatorColumns(batch), "discriminator").loss();
 *     double g = session.step(generatorColumns(batch), "generator").loss();
 *     return Map.of("discriminator", d, "generator", g);
 * };
 * }</pre>
 *
 * <p>The trainer reports each group's loss as a term of the epoch ({@code train.loss.<group>})
 * and their sum as its training loss. For {@link Trainer#resume()} to take the same steps as a
 * run never interrupted, the steps must depend only on the batch, not on state carried from
 * one batch to the next (a noise stream).
 */
@FunctionalInterface
public interface GroupSteps {
    /**
     * Takes one batch's steps on {@code session}.
     *
     * @return each group's loss on the batch by group name (the mean, for a group that stepped
     *     more than once)
     */
    Map<String, Double> steps(GroupTrainingSession session, Feed batch);
}
