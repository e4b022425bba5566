package dev.tern.train;

import java.util.List;
import java.util.Objects;

/**
 * One network of a training with several (a GAN's generator or discriminator): the weights it
 * trains, the loss its steps minimize, and its own optimizer and learning-rate schedule.
 *
 * @param name how {@link GroupTrainingSession#step} names it
 * @param loss the loss terms its steps minimize, over any outputs of the shared model
 * @param trainable the initializers it trains; no other group may train them
 * @param optimizer its optimizer, whose state it alone keeps
 * @param schedule its learning rate by its own step count
 */
public record ParameterGroup(String name, LossTerms loss, List<String> trainable, Optimizer optimizer,
                             LearningRateSchedule schedule) {
    /**
     * @throws IllegalArgumentException if the name is empty or no weight is trainable
     */
    public ParameterGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        trainable = List.copyOf(trainable);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a parameter group needs a name");
        }
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("parameter group '" + name + "' trains no weights");
        }
    }
}
