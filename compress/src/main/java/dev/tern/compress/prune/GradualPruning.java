package dev.tern.compress.prune;

import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.train.AdaptiveSchedule;
import dev.tern.train.FineTune;
import dev.tern.train.KeptWeights;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.TrainingOutcome;
import dev.tern.train.data.BatchSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Magnitude pruning while fine-tuning, as Zhu and Gupta's gradual pruning: the sparsity rises
 * along a {@link SparsitySchedule} with one mask update at the start of each of the first
 * {@code updates} epochs, and the epochs after the last update fine-tune at the target
 * sparsity. Between updates the masks stay in the training graph ({@link MaskInsertion}), so
 * pruned weights are exactly zero in every step; the result has them folded into plain weights
 * ({@link MaskFolding}).
 *
 * <pre>{@code
 * GradualPruning.Result result = GradualPruning.builder(model, train.feeding("input"),
 *                 recipe -> recipe.loss(Loss.crossEntropy(), "logits").optimizer(Optimizer.adamW(0))
 *                         .validation(validation.feeding("input")))
 *         .sparsity(new SparsitySchedule(0.8, 4))
 *         .epochs(8)
 *         .learningRates(steps -> LearningRateSchedule.cosine(1e-3, steps, 0))
 *         .build()
 *         .run(runtime);
 * }</pre>
 *
 * <p>Each mask update starts a new {@link FineTune} over the model with its new masks: the
 * learning-rate schedule runs on across updates, but the optimizer's state (momentum, Adam's
 * moments) starts afresh, since the mask changes the problem it tracks. Validation and the
 * kept epoch apply within the epochs at the target sparsity; earlier updates keep their last
 * epoch. Immutable once built.
 */
public final class GradualPruning {
    private final Model model;
    private final BatchSource train;
    private final Consumer<FineTune.Builder> recipe;
    private final SparsitySchedule sparsity;
    private final SparsityScope scope;
    private final int epochs;
    private final LongFunction<LearningRateSchedule> learningRates;

    private GradualPruning(Builder builder) {
        this.model = builder.model;
        this.train = builder.train;
        this.recipe = builder.recipe;
        this.sparsity = builder.sparsity;
        this.scope = builder.scope;
        this.epochs = builder.epochs;
        this.learningRates = builder.learningRates;
    }

    /**
     * A builder pruning {@code model} while training on {@code train}; {@code recipe} sets the
     * loss, optimizer, validation, listener and session settings of each update's
     * {@link FineTune.Builder} (its epochs, schedule and kept epoch are set here).
     */
    public static Builder builder(Model model, BatchSource train, Consumer<FineTune.Builder> recipe) {
        return new Builder(model, train, recipe);
    }

    /**
     * Prunes and fine-tunes on {@code runtime}, which is not closed.
     *
     * @throws PruningException if the model has no weight to prune
     * @throws dev.tern.train.TrainingException if the recipe does not fit the model or the data
     * @throws IllegalArgumentException if the learning-rate schedule is adaptive, whose state
     *     cannot follow the run across mask updates
     */
    public Result run(Runtime runtime) {
        LearningRateSchedule rates = learningRates.apply((long) epochs * train.batchCount());
        if (rates instanceof AdaptiveSchedule) {
            throw new IllegalArgumentException("gradual pruning restarts training at every mask update, so an adaptive "
                    + "schedule such as reduce-on-plateau cannot follow it; give a schedule over steps");
        }
        Model current = model;
        List<Stage> stages = new ArrayList<>();
        long stepsBefore = 0;
        for (int update = 1; update <= sparsity.updates(); update++) {
            boolean last = update == sparsity.updates();
            int stageEpochs = last ? epochs - update + 1 : 1;
            PruningMasks masks = MagnitudePruning.masks(current, sparsity.sparsity(update), scope);
            Model masked = new MaskInsertion(masks).apply(current).model();
            long offset = stepsBefore;
            FineTune.Builder builder = FineTune.builder(masked, train);
            recipe.accept(builder);
            builder.epochs(stageEpochs).schedule(steps -> step -> rates.rate(offset + step));
            if (!last) {
                builder.keep(KeptWeights.LAST_EPOCH);
            }
            FineTune.Result result = builder.build().run(runtime);
            current = new MaskFolding().apply(result.model()).model();
            stages.add(new Stage(update, masks.sparsity(), result.outcome()));
            stepsBefore += (long) stageEpochs * train.batchCount();
        }
        return new Result(current, stages);
    }

    /**
     * What gradual pruning produced.
     *
     * @param model the pruned, fine-tuned model: plain weights with exact zeros, no mask nodes
     * @param stages each mask update with the sparsity it set and its training, in order
     */
    public record Result(Model model, List<Stage> stages) {
        public Result {
            Objects.requireNonNull(model, "model");
            stages = List.copyOf(stages);
        }

        /** The training at the target sparsity: the last stage's. */
        public TrainingOutcome finalOutcome() {
            return stages.get(stages.size() - 1).outcome();
        }
    }

    /**
     * One mask update and the training after it.
     *
     * @param update the update's number, from 1
     * @param sparsity the fraction of the layer weights its masks pruned
     * @param outcome the training until the next update
     */
    public record Stage(int update, double sparsity, TrainingOutcome outcome) {
    }

    /**
     * Configures a {@link GradualPruning}. Required: {@link #sparsity} and
     * {@link #learningRates}. Defaults: a {@link SparsityScope#GLOBAL} ranking and as many
     * epochs as mask updates.
     */
    public static final class Builder {
        private final Model model;
        private final BatchSource train;
        private final Consumer<FineTune.Builder> recipe;
        private SparsitySchedule sparsity;
        private SparsityScope scope = SparsityScope.GLOBAL;
        private int epochs;
        private LongFunction<LearningRateSchedule> learningRates;

        private Builder(Model model, BatchSource train, Consumer<FineTune.Builder> recipe) {
            this.model = Objects.requireNonNull(model, "model");
            this.train = Objects.requireNonNull(train, "train");
            this.recipe = Objects.requireNonNull(recipe, "recipe");
        }

        public Builder sparsity(SparsitySchedule schedule) {
            this.sparsity = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        public Builder scope(SparsityScope newScope) {
            this.scope = Objects.requireNonNull(newScope, "scope");
            return this;
        }

        /** Epochs in all: one per mask update, the rest at the target sparsity. */
        public Builder epochs(int count) {
            this.epochs = count;
            return this;
        }

        /** The learning rate of every step of the whole run, given its total number of steps. */
        public Builder learningRates(LongFunction<LearningRateSchedule> forTotalSteps) {
            this.learningRates = Objects.requireNonNull(forTotalSteps, "learningRates");
            return this;
        }

        /**
         * @throws IllegalStateException if the sparsity schedule or the learning rates are missing
         * @throws IllegalArgumentException if there are fewer epochs than mask updates
         */
        public GradualPruning build() {
            if (sparsity == null || learningRates == null) {
                throw new IllegalStateException("gradual pruning needs sparsity(...) and learningRates(...)");
            }
            if (epochs == 0) {
                epochs = sparsity.updates();
            }
            if (epochs < sparsity.updates()) {
                throw new IllegalArgumentException("gradual pruning updates the masks once per epoch: " + epochs
                        + " epochs cannot hold " + sparsity.updates() + " updates");
            }
            return new GradualPruning(this);
        }
    }
}
