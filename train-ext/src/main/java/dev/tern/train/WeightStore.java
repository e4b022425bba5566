package dev.tern.train;

import dev.tern.exec.ClosedException;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The native state of a training: the trained weights and their optimizer state, which stay
 * ONNX Runtime tensors between steps and cross into Java only through these methods. A
 * {@link TrainingSession} holds one; a {@link GroupTrainingSession} one for all its parameter
 * groups. A {@link Trainer} checkpoints a training through it.
 *
 * <p>A checkpoint is a zip that NumPy opens as an {@code .npz} (one {@code .npy} per tensor,
 * weights under their initializer names and optimizer state as {@code <weight>.<slot>}) plus a
 * {@code manifest.properties} with the step counts; it is written atomically, so a file is
 * complete or absent, never partial.
 */
public interface WeightStore {
    /**
     * Copies of the current trained weights by name, in the order they were given.
     *
     * @throws ClosedException if the session is closed
     */
    Map<String, Tensor> weights();

    /**
     * Replaces the current values of the trained weights named in {@code newWeights} (a
     * subset, copied; the caller keeps its tensors). The optimizer state and the step counts
     * stay as they are, so this sets a network's weights from another (a target network, an
     * exponential average, a pretrained part) between steps.
     *
     * @throws TrainingException if a name is no trained weight, or a tensor's element type or
     *     shape differs from the weight's (the message names the weight, expected and found);
     *     the store is then unchanged
     * @throws ClosedException if the session is closed
     */
    void setWeights(Map<String, Tensor> newWeights);

    /**
     * Saves the weights, the optimizer state and the step counts to {@code file}, atomically.
     *
     * @throws TrainingException if the file cannot be written
     * @throws ClosedException if the session is closed
     */
    void saveCheckpoint(Path file);

    /**
     * Replaces the weights, optimizer state and step counts with a checkpoint's, so the next
     * step is the one the saving session would have taken next (with the same batch and an
     * equal schedule, bit for bit).
     *
     * @throws TrainingException if the file cannot be read, or its tensors differ from this
     *     store's in names, element types or shapes (another model or optimizer); the store is
     *     then unchanged
     * @throws ClosedException if the session is closed
     */
    void restoreCheckpoint(Path file);

    /**
     * The trained model cut to the part from {@code inputs} to {@code outputs}, with the
     * current weights as its initializers (a GAN's generator from its noise input to its
     * sample; a VAE's decoder from the latent sample to the reconstruction): an input may be an
     * inner value, which the part reads as an input instead of computing it. Each random op is
     * replaced by the mean of its distribution. Independent of the session: it stays valid
     * after the session is closed.
     *
     * @throws TrainingException if a name is no value of the model, or an inner value to read
     *     as an input has no known type
     * @throws ClosedException if the session is closed
     */
    Model exportModel(List<String> inputs, List<String> outputs);

    /**
     * {@link #exportModel(List, List)} from the model's own inputs to {@code outputs}: the
     * other outputs, and the nodes, inputs and initializers only they need, are left out.
     *
     * @throws TrainingException if an output names no value of the model
     * @throws ClosedException if the session is closed
     */
    default Model exportModel(String... outputs) {
        return exportModel(List.of(), List.of(outputs));
    }
}
