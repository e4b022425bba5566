package dev.tern.train;

import dev.tern.exec.ClosedException;
import dev.tern.exec.NativeTensor;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.internal.CheckpointFile;
import dev.tern.train.internal.GroupTraining;
import dev.tern.train.internal.InferenceExport;
import dev.tern.train.internal.TrainingGraphs;
import dev.tern.train.internal.TrainingState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Trains several networks of one model by turns, each a {@link ParameterGroup} with its own
 * loss, optimizer, schedule and step count (a GAN's generator and discriminator):
 *
 * <pre>{@code
 * try (GroupTrainingSession gan = GroupTrainingSession.builder(model)
 *         .group(new ParameterGroup("discriminator", dLoss, dWeights, Optimizer.adam(), dSchedule))
 *         .group(new ParameterGroup("generator", gLoss, gWeights, Optimizer.adam(), gSchedule))
 *         .build(runtime)) {
 *     gan.step(batch, "discriminator");
 *     gan.step(batch, "generator");
 * }
 * }</pre>
 *
 * <p>Each group has its own step graph, in which the weights of the other groups are inputs it
 * reads but neither differentiates nor updates. Every weight lives once, in native memory, with
 * the group that trains it; a step is fed its own state and the other groups' current tensors
 * themselves, so no weight passes through the Java heap between steps. {@link #evaluate} runs a
 * group's loss, term by term, on validation data with the same tensors; {@link #weights()} and
 * {@link #setWeights} read and set any group's weights from Java between steps.
 *
 * <p>Ownership: the session owns its compiled graphs and state and releases them on
 * {@link #close()} (idempotent); it does not own the runtime. Methods are synchronized: one step
 * at a time.
 */
public final class GroupTrainingSession implements WeightStore, AutoCloseable {
    private final Model model;
    private final Map<String, GroupTraining> groups;
    private final String optimizers;
    private boolean closed;

    private GroupTrainingSession(Model model, Map<String, GroupTraining> groups, String optimizers) {
        this.model = model;
        this.groups = groups;
        this.optimizers = optimizers;
    }

    /**
     * A builder for training groups of {@code model}'s weights. The model is not changed, and
     * its weights are shared, not copied: they must not change while the session is open.
     */
    public static Builder builder(Model model) {
        return new Builder(model);
    }

    /** The group names, in the order they were added. */
    public List<String> groupNames() {
        return List.copyOf(groups.keySet());
    }

    /**
     * The inputs a batch for {@code group}'s step feeds: the model inputs its loss reads and
     * the target columns its terms added.
     *
     * @throws TrainingException if there is no such group
     */
    public List<String> dataInputs(String group) {
        return group(group).dataInputs();
    }

    /**
     * The inputs {@code group}'s loss terms added for their targets, in term order: a part of
     * {@link #dataInputs(String)}.
     *
     * @throws TrainingException if there is no such group
     */
    public List<String> targetColumns(String group) {
        return group(group).targetColumns();
    }

    /**
     * The loss terms {@code group}'s steps minimize.
     *
     * @throws TrainingException if there is no such group
     */
    public LossTerms loss(String group) {
        return group(group).loss();
    }

    /**
     * Takes one step of {@code group} on {@code batch}: one ONNX Runtime run computing its
     * loss, its gradients and its update, reading the other groups' current weights in place.
     * Only this group's weights, optimizer state and step count change.
     *
     * @throws TrainingException if there is no such group, or the batch does not feed exactly
     *     {@link #dataInputs(String)}
     * @throws dev.tern.exec.InvalidInputException if a batch tensor has the wrong element type
     *     or shape
     * @throws dev.tern.exec.ExecutionFailedException if ONNX Runtime fails the run; the
     *     weights and state stay as they were before the step
     * @throws ClosedException if the session or its runtime is closed
     */
    public synchronized StepResult step(Map<String, Tensor> batch, String group) {
        requireOpen();
        GroupTraining stepping = group(group);
        return stepping.step(batch, othersWeights(stepping), null);
    }

    /**
     * Runs the forward pass and {@code group}'s loss on {@code batch} with every group's
     * current weights, updating nothing: its validation loss, each of its terms, and the
     * outputs they read. The group's evaluation graph is compiled on first use and reads the
     * training's own state tensors, without copying them.
     *
     * @throws TrainingException if there is no such group, or the batch does not feed exactly
     *     {@link #dataInputs(String)}
     * @throws dev.tern.exec.InvalidInputException if a batch tensor has the wrong element type
     *     or shape
     * @throws ClosedException if the session or its runtime is closed
     */
    public synchronized Evaluation evaluate(Map<String, Tensor> batch, String group) {
        requireOpen();
        GroupTraining evaluated = group(group);
        return evaluated.evaluate(batch, othersWeights(evaluated));
    }

    /**
     * The steps {@code group} has taken.
     *
     * @throws TrainingException if there is no such group
     */
    public synchronized long stepCount(String group) {
        return group(group).state().steps();
    }

    /** Copies of the current trained weights of every group by name, group by group. */
    @Override
    public synchronized Map<String, Tensor> weights() {
        requireOpen();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        groups.values().forEach(group -> weights.putAll(group.state().readWeights()));
        return weights;
    }

    /**
     * Replaces the current values of the weights named in {@code newWeights}, which may belong
     * to any groups; each group keeps its optimizer state and step count.
     */
    @Override
    public synchronized void setWeights(Map<String, Tensor> newWeights) {
        requireOpen();
        Map<GroupTraining, Map<String, Tensor>> byGroup = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> weight : newWeights.entrySet()) {
            GroupTraining owner = groups.values().stream().filter(group -> group.state().hasWeight(weight.getKey()))
                    .findFirst()
                    .orElseThrow(() -> new TrainingException("setWeights: model '" + model.graph().name()
                            + "' has no trained weight '" + weight.getKey() + "'; its parameter groups train "
                            + weightNames()));
            byGroup.computeIfAbsent(owner, group -> new LinkedHashMap<>()).put(weight.getKey(), weight.getValue());
        }
        byGroup.forEach((group, values) -> group.state().requireWeights(values, "setWeights"));
        byGroup.forEach((group, values) -> group.state().setWeights(values, "setWeights"));
    }

    @Override
    public synchronized Model exportModel(List<String> inputs, List<String> outputs) {
        return InferenceExport.part(model, weights(), inputs, outputs);
    }

    /** Saves every group's weights, optimizer state and step count, with one step count per group. */
    @Override
    public synchronized void saveCheckpoint(Path file) {
        requireOpen();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Long> groupSteps = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, GroupTraining> group : groups.entrySet()) {
            TrainingState state = group.getValue().state();
            tensors.putAll(state.readAll());
            groupSteps.put(group.getKey(), state.steps());
            total += state.steps();
        }
        CheckpointFile.write(file, new CheckpointFile.Contents(total, tensors, groupSteps), optimizers);
    }

    /**
     * Replaces every group's weights, optimizer state and step count with a checkpoint's, so
     * each group's next step is the one the saving session would have taken next.
     *
     * @throws TrainingException if the file cannot be read, or its groups or tensors differ from
     *     this session's (names, element types, shapes); the session is then unchanged
     */
    @Override
    public synchronized void restoreCheckpoint(Path file) {
        requireOpen();
        CheckpointFile.Contents contents = CheckpointFile.read(file);
        if (!contents.groupSteps().keySet().equals(groups.keySet())) {
            throw new TrainingException("checkpoint " + file + " holds parameter groups "
                    + contents.groupSteps().keySet() + ", this session has " + groups.keySet());
        }
        Set<String> expected = new LinkedHashSet<>();
        for (GroupTraining group : groups.values()) {
            group.state().requireState(contents.tensors(), "checkpoint " + file);
            expected.addAll(group.state().stateNames());
        }
        if (!contents.tensors().keySet().equals(expected)) {
            throw new TrainingException("checkpoint " + file + " holds " + contents.tensors().keySet()
                    + ", this session expects " + expected);
        }
        groups.forEach((name, group) -> group.state().restore(contents.tensors(), contents.groupSteps().get(name)));
    }

    /** Releases every group's compiled graph and state. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        groups.values().forEach(GroupTraining::close);
    }

    private List<String> weightNames() {
        return groups.values().stream().flatMap(group -> group.state().weightNames().stream()).toList();
    }

    /** The current weights of every group but {@code group}, in place, for its run to read. */
    private Map<String, NativeTensor> othersWeights(GroupTraining group) {
        Map<String, NativeTensor> shared = new LinkedHashMap<>();
        groups.values().stream().filter(other -> other != group)
                .forEach(other -> shared.putAll(other.state().currentWeights()));
        return shared;
    }

    private GroupTraining group(String name) {
        GroupTraining group = groups.get(name);
        if (group == null) {
            throw new TrainingException("model '" + model.graph().name() + "' has no parameter group '" + name
                    + "'; its groups are " + groups.keySet());
        }
        return group;
    }

    private void requireOpen() {
        if (closed) {
            throw new ClosedException("the group training session of model '" + model.graph().name() + "' is closed");
        }
    }

    /**
     * Configures a {@link GroupTrainingSession}: at least one {@link #group}. Not thread-safe;
     * {@link #build} may be called more than once, each time making an independent session.
     */
    public static final class Builder {
        private final Model model;
        private final List<ParameterGroup> groups = new ArrayList<>();
        private SessionConfig config = SessionConfig.defaults();

        private Builder(Model model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /**
         * Adds a group.
         *
         * @throws IllegalArgumentException if a group of that name was added already, or
         *     another group trains one of its weights
         */
        public Builder group(ParameterGroup group) {
            Objects.requireNonNull(group, "group");
            for (ParameterGroup added : groups) {
                if (added.name().equals(group.name())) {
                    throw new IllegalArgumentException("two parameter groups are named '" + group.name() + "'");
                }
                Set<String> both = new HashSet<>(added.trainable());
                both.retainAll(group.trainable());
                if (!both.isEmpty()) {
                    throw new IllegalArgumentException("parameter groups '" + added.name() + "' and '" + group.name()
                            + "' both train " + both + "; a weight belongs to one group");
                }
            }
            groups.add(group);
            return this;
        }

        /** How ONNX Runtime runs the step graphs (threads, optimization level). */
        public Builder sessionConfig(SessionConfig newConfig) {
            this.config = Objects.requireNonNull(newConfig, "sessionConfig");
            return this;
        }

        /**
         * Builds and compiles every group's step graph on {@code runtime}.
         *
         * @throws IllegalStateException if no group was added
         * @throws TrainingException if a group's outputs, weights or targets do not fit the model
         * @throws AutodiffException if an op between a group's weights and its loss has no gradient rule
         * @throws dev.tern.exec.ExecutionFailedException if ONNX Runtime refuses a step graph
         */
        public GroupTrainingSession build(Runtime runtime) {
            Objects.requireNonNull(runtime, "runtime");
            if (groups.isEmpty()) {
                throw new IllegalStateException("the group training session builder needs at least one group(...)");
            }
            Map<String, GroupTraining> steps = new LinkedHashMap<>();
            try {
                for (ParameterGroup group : groups) {
                    TrainingGraphs graphs = TrainingGraphs.build(model, new TrainingGraphs.Spec(group.loss(),
                            group.trainable(), group.optimizer(), OptionalDouble.empty(), OptionalLong.empty(),
                            othersWeights(group)));
                    steps.put(group.name(), new GroupTraining("parameter group '" + group.name() + "'", graphs,
                            group.loss(), group.optimizer().toString(), group.schedule(), false, runtime, config));
                }
            } catch (RuntimeException e) {
                steps.values().forEach(GroupTraining::close);
                throw e;
            }
            Map<String, String> optimizers = new LinkedHashMap<>();
            groups.forEach(group -> optimizers.put(group.name(), group.optimizer().toString()));
            return new GroupTrainingSession(model, steps, optimizers.toString());
        }

        private List<String> othersWeights(ParameterGroup group) {
            List<String> weights = new ArrayList<>();
            for (ParameterGroup other : groups) {
                if (other != group) {
                    weights.addAll(other.trainable());
                }
            }
            return weights;
        }
    }
}
