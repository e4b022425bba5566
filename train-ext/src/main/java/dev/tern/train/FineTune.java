package dev.tern.train;

import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.data.BatchSource;
import dev.tern.train.internal.LoraTraining;
import dev.tern.train.lora.LoraResult;
import dev.tern.train.lora.LoraSettings;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The fine-tuning recipe of {@code tern finetune} as a library call: the weights chosen by
 * scope, a loss, an optimizer and a schedule shaped to the run's length, a {@link Trainer}
 * over training and validation batches, and the trained model exported for inference.
 *
 * <pre>{@code
 * FineTune.Result result = FineTune.builder(model, train.feeding("input"))
 *         .loss(Loss.crossEntropy(), "logits")
 *         .frozen(List.of("fc1"))
 *         .optimizer(Optimizer.adamW(0.01))
 *         .schedule(steps -> LearningRateSchedule.cosine(1e-3, steps, 0))
 *         .validation(validation.feeding("input"))
 *         .epochs(10)
 *         .build()
 *         .run(runtime);
 * Model tuned = result.model();
 * }</pre>
 *
 * <p>{@link #builder(FineTuneData)} takes data prepared from files as {@code tern finetune}
 * reads them (a CSV table or image folder, a text file with a tokenizer; see
 * {@link FineTuneData}), and every model the result hands back then carries the data's feature
 * scaling and class names.
 *
 * <p>Every floating-point weight of rank 1 or more is trained unless {@link Builder#trainable}
 * or {@link Builder#frozen} scopes say otherwise (see {@link WeightSelection#chosen}). With
 * validation data the best epoch's weights (by the monitored metric, the validation loss
 * unless told otherwise) are exported, otherwise the last epoch's; {@link Builder#keep} says
 * otherwise. Parts of the trained model asked for with {@link Builder#exportPart} (an
 * autoencoder's encoder, a VAE's decoder) are exported from the same weights.
 *
 * <p>With {@link Builder#lora}, the chosen MatMul and Gemm weights stay as they are and
 * low-rank adapters beside them are trained instead, with the weights {@link Builder#alwaysTrained}
 * and those in {@link Builder#trainable} scopes (none unless named); the result is the merged
 * model, and {@link Result#lora()} holds the adapter file and the base it applies to. Immutable once built; {@link #run} may be called more than once, each time
 * training afresh from the model's weights (or resuming from the checkpoint folder).
 */
public final class FineTune {
    /** The batch input that carries the labels to a loss over one output, as {@link Builder#loss(Loss, String)} feeds it. */
    public static final String LABELS = "target";

    private final Model model;
    private final BatchSource train;
    private final BatchSource validation;
    private final LossTerms loss;
    private final List<String> weights;
    private final Optimizer optimizer;
    private final LongFunction<LearningRateSchedule> schedule;
    private final int epochs;
    private final int patience;
    private final Monitor monitor;
    private final KeptWeights keep;
    private final Path checkpoints;
    private final boolean resume;
    private final TrainingListener listener;
    private final SessionConfig config;
    /** Null without LoRA. */
    private final LoraTraining lora;
    private final Map<String, Part> parts;
    private final ExportAdditions export;

    private FineTune(Builder builder, List<String> weights, LoraTraining lora) {
        this.model = builder.model;
        this.lora = lora;
        this.train = builder.train;
        this.validation = builder.validation;
        this.loss = builder.loss;
        this.weights = weights;
        this.optimizer = builder.optimizer;
        this.schedule = builder.schedule;
        this.epochs = builder.epochs;
        this.patience = builder.patience;
        this.monitor = builder.monitor;
        this.keep = builder.keep != null ? builder.keep
                : builder.validation != null ? KeptWeights.BEST_EPOCH : KeptWeights.LAST_EPOCH;
        this.checkpoints = builder.checkpoints;
        this.resume = builder.resume;
        this.listener = builder.listener;
        this.config = builder.config;
        this.parts = Collections.unmodifiableMap(new LinkedHashMap<>(builder.parts));
        this.export = builder.export;
    }

    /**
     * A builder for fine-tuning {@code model} on {@code train}, whose batches feed the model's
     * inputs (and their labels the loss's target column).
     */
    public static Builder builder(Model model, BatchSource train) {
        return new Builder(model, train);
    }

    /**
     * A builder for fine-tuning on prepared {@code data}: its model, loss, training and
     * validation batches and always-trained weights, with its {@link FineTuneData#export}
     * additions applied to every exported model. The data must stay open while the recipe runs.
     */
    public static Builder builder(FineTuneData data) {
        Builder builder = new Builder(data.model(), data.train())
                .loss(data.loss())
                .alwaysTrained(data.alwaysTrained())
                .exportAdditions(data.export());
        data.validation().ifPresent(builder::validation);
        return builder;
    }

    /** The weights the recipe trains, in the model's order (weights always trained first). */
    public List<String> weights() {
        return weights;
    }

    /**
     * Trains on {@code runtime} and exports the result. The runtime is not closed.
     *
     * @throws TrainingException if the loss or weights do not fit the model, a batch does not
     *     fit the session, or a checkpoint cannot be read or written
     * @throws AutodiffException if an op between the weights and the loss has no gradient rule
     */
    public Result run(Runtime runtime) {
        long totalSteps = (long) epochs * train.batchCount();
        LearningRateSchedule rates = schedule.apply(totalSteps);
        Model trained = lora == null ? model : lora.trainingModel();
        try (TrainingSession session = TrainingSession.builder(trained).loss(loss).trainable(weights)
                .optimizer(optimizer).schedule(rates).sessionConfig(config).build(runtime)) {
            Trainer trainer = trainer(session, rates);
            TrainingOutcome outcome = resume ? trainer.resume() : trainer.fit();
            Map<String, Model> exportedParts = new LinkedHashMap<>();
            parts.forEach((name, part) -> exportedParts.put(name,
                    export.applyTo(session.exportModel(part.inputs(), part.outputs()))));
            if (lora == null) {
                return new Result(export.applyTo(session.exportModel()), outcome, weights, exportedParts,
                        Optional.empty());
            }
            List<String> replaced = weights.stream().filter(name -> !lora.adapterWeights().contains(name)).toList();
            LoraResult adapters = lora.result(session.weights(), replaced);
            LoraResult written = new LoraResult(adapters.adapter(), export.applyTo(adapters.base()), adapters.targets());
            return new Result(export.applyTo(lora.merged(adapters)), outcome, weights, exportedParts,
                    Optional.of(written));
        }
    }

    private Trainer trainer(TrainingSession session, LearningRateSchedule rates) {
        Trainer.Builder builder = Trainer.builder(session, train).epochs(epochs).monitor(monitor).keep(keep)
                .listener(listener);
        if (rates instanceof AdaptiveSchedule adaptive) {
            // It hears every epoch's results, and its state travels with the checkpoints.
            builder.adaptiveSchedule(adaptive);
        }
        if (validation != null) {
            builder.validation(validation);
        }
        if (patience > 0) {
            builder.earlyStopping(patience);
        }
        if (checkpoints != null) {
            builder.checkpoints(checkpoints);
        }
        return builder.build();
    }

    /**
     * What a fine-tuning produced.
     *
     * @param model the trained model for inference, independent of any session, with the
     *     recipe's {@link Builder#exportAdditions}; with LoRA the adapters merged into the
     *     original weights
     * @param outcome the trainer's history, best and kept epochs
     * @param weights the weights trained
     * @param parts the parts asked for with {@link Builder#exportPart}, by name in the order
     *     asked, with the export additions that fit each
     * @param lora with LoRA, the adapter file and its base model (with the export additions)
     */
    public record Result(Model model, TrainingOutcome outcome, List<String> weights, Map<String, Model> parts,
                         Optional<LoraResult> lora) {
        public Result {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(outcome, "outcome");
            weights = List.copyOf(weights);
            parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
            Objects.requireNonNull(lora, "lora");
        }

        /**
         * How many numbers the fine-tuning trained: the elements of {@link #weights}. With LoRA
         * these are the adapters' {@code A} and {@code B} and the other trained weights (a head),
         * all of which the adapter file holds, not the adapted weights themselves.
         */
        public long trainedParameters() {
            List<Tensor> trained = lora.map(result -> result.adapter().parameters())
                    .orElseGet(() -> weights.stream().map(name -> model.graph().initializers().get(name).initializer())
                            .toList());
            return trained.stream().mapToLong(Tensor::elementCount).sum();
        }

        /**
         * The trained part named {@code name}.
         *
         * @throws IllegalArgumentException if no part of that name was asked for, naming those that were
         */
        public Model part(String name) {
            Model part = parts.get(name);
            if (part == null) {
                throw new IllegalArgumentException("no exported part named '" + name + "'; the recipe exported "
                        + parts.keySet());
            }
            return part;
        }

        /**
         * A VAE's decoder part ({@value UnsupervisedObjective#DECODER}) as a sampler from latent
         * {@value dev.tern.train.models.ModelTemplates#LATENT} to pixels through a Sigmoid
         * (see {@link UnsupervisedObjective#sampler}); a new model each call.
         *
         * @throws IllegalArgumentException if no decoder part was asked for
         */
        public Model sampler() {
            return UnsupervisedObjective.sampler(part(UnsupervisedObjective.DECODER).copy());
        }
    }

    /** The part of the model from {@code inputs} (maybe inner values) to {@code outputs}. */
    private record Part(List<String> inputs, List<String> outputs) {
    }

    /**
     * Configures a {@link FineTune}. Required: a loss ({@link #loss(Loss, String)} or
     * {@link #loss(LossTerms)}), {@link #optimizer} and {@link #schedule}. Defaults: 1 epoch,
     * every weight trained, no validation, no early stopping, no checkpoints, no listener,
     * ONNX Runtime's default session settings.
     */
    public static final class Builder {
        private final Model model;
        private final BatchSource train;
        private BatchSource validation;
        private LossTerms loss;
        private List<String> trainableScopes = List.of();
        private List<String> frozenScopes = List.of();
        private List<String> alwaysTrained = List.of();
        private Optimizer optimizer;
        private LongFunction<LearningRateSchedule> schedule;
        private int epochs = 1;
        private int patience;
        private Monitor monitor = Monitor.VALIDATION_LOSS;
        private KeptWeights keep;
        private Path checkpoints;
        private boolean resume;
        private TrainingListener listener = new TrainingListener() {
        };
        private SessionConfig config = SessionConfig.defaults();
        private LoraSettings lora;
        private final Map<String, Part> parts = new LinkedHashMap<>();
        private ExportAdditions export = ExportAdditions.NONE;

        private Builder(Model model, BatchSource train) {
            this.model = Objects.requireNonNull(model, "model");
            this.train = Objects.requireNonNull(train, "train");
        }

        /** {@code function} between model output {@code predictionOutput} and the batches' labels, fed as input {@value FineTune#LABELS}. */
        public Builder loss(Loss function, String predictionOutput) {
            return loss(Loss.term(function, predictionOutput, LABELS));
        }

        /** Loss terms over named outputs and targets. */
        public Builder loss(LossTerms terms) {
            this.loss = Objects.requireNonNull(terms, "terms");
            return this;
        }

        /** Trains only the weights in these scopes (and those {@link #alwaysTrained}); all of them when empty. */
        public Builder trainable(List<String> scopes) {
            this.trainableScopes = List.copyOf(scopes);
            return this;
        }

        /** Leaves the weights in these scopes unchanged. */
        public Builder frozen(List<String> scopes) {
            this.frozenScopes = List.copyOf(scopes);
            return this;
        }

        /** Weights trained whatever the scopes say, such as a new classification head's. */
        public Builder alwaysTrained(List<String> names) {
            this.alwaysTrained = List.copyOf(names);
            return this;
        }

        public Builder optimizer(Optimizer newOptimizer) {
            this.optimizer = Objects.requireNonNull(newOptimizer, "optimizer");
            return this;
        }

        /** The schedule for a run of the given total number of steps (epochs times batches per epoch). */
        public Builder schedule(LongFunction<LearningRateSchedule> forTotalSteps) {
            this.schedule = Objects.requireNonNull(forTotalSteps, "schedule");
            return this;
        }

        /** Validation batches, measured after every epoch. */
        public Builder validation(BatchSource batches) {
            this.validation = Objects.requireNonNull(batches, "validation");
            return this;
        }

        /** @throws IllegalArgumentException if below 1 */
        public Builder epochs(int count) {
            this.epochs = BuilderChecks.atLeastOne(count, "epochs");
            return this;
        }

        /** See {@link Trainer.Builder#earlyStopping}. @throws IllegalArgumentException if below 1 */
        public Builder earlyStopping(int newPatience) {
            if (newPatience < 1) {
                throw new IllegalArgumentException("early-stopping patience must be at least 1 epoch, found " + newPatience);
            }
            this.patience = newPatience;
            return this;
        }

        /** See {@link Trainer.Builder#monitor}. */
        public Builder monitor(Monitor newMonitor) {
            this.monitor = Objects.requireNonNull(newMonitor, "monitor");
            return this;
        }

        /** Which epoch's weights are exported; by default the best with validation data, else the last. */
        public Builder keep(KeptWeights weights) {
            this.keep = Objects.requireNonNull(weights, "weights");
            return this;
        }

        /** Saves a checkpoint into {@code directory} after every epoch; with {@code resume}, continues from the latest. */
        public Builder checkpoints(Path directory, boolean resumeFromLatest) {
            this.checkpoints = Objects.requireNonNull(directory, "directory");
            this.resume = resumeFromLatest;
            return this;
        }

        public Builder listener(TrainingListener newListener) {
            this.listener = Objects.requireNonNull(newListener, "listener");
            return this;
        }

        /**
         * Trains LoRA adapters beside the MatMul and Gemm weights of {@code settings}' scopes
         * instead of the weights themselves; see the class comment.
         */
        public Builder lora(LoraSettings settings) {
            this.lora = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Exports, beside the whole model, the part from {@code inputs} to {@code outputs} under
         * {@code name} (see {@link TrainingSession#exportModel(List, List)}): an input may be an
         * inner value, such as a VAE's latent sample for its decoder; no inputs means the
         * model's own. The names are checked when the recipe runs.
         *
         * @throws IllegalArgumentException if {@code outputs} is empty or {@code name} is taken
         */
        public Builder exportPart(String name, List<String> inputs, List<String> outputs) {
            if (outputs.isEmpty()) {
                throw new IllegalArgumentException("part '" + name + "' needs at least one output");
            }
            if (parts.containsKey(name)) {
                throw new IllegalArgumentException("a part named '" + name + "' is already exported");
            }
            parts.put(name, new Part(List.copyOf(inputs), List.copyOf(outputs)));
            return this;
        }

        /**
         * What every exported model (the whole, its parts, a LoRA base) gets beyond its
         * weights; {@link FineTune#builder(FineTuneData)} sets the data's.
         */
        public Builder exportAdditions(ExportAdditions additions) {
            this.export = Objects.requireNonNull(additions, "additions");
            return this;
        }

        /** How ONNX Runtime runs the training graphs. */
        public Builder sessionConfig(SessionConfig newConfig) {
            this.config = Objects.requireNonNull(newConfig, "sessionConfig");
            return this;
        }

        /**
         * The recipe, with its weights chosen.
         *
         * @throws IllegalStateException if the loss, optimizer or schedule is missing, or early
         *     stopping or keeping the best epoch is asked for on a validation metric without
         *     validation data
         * @throws TrainingException if a scope matches no weight or no weight is left to train, or
         *     a LoRA scope matches no MatMul or Gemm weight
         * @throws IllegalArgumentException if the LoRA rank is below 1 or its alpha is not finite
         */
        public FineTune build() {
            requireSet(loss, "loss");
            requireSet(optimizer, "optimizer");
            requireSet(schedule, "schedule");
            boolean validationMissing = validation == null && monitor.needsValidation();
            if ((patience > 0 || keep == KeptWeights.BEST_EPOCH) && validationMissing) {
                throw new IllegalStateException("early stopping and keeping the best epoch need validation data: "
                        + "set validation(...)");
            }
            Set<String> weights = new LinkedHashSet<>(alwaysTrained);
            // With LoRA the model's own weights train only when named.
            if (lora == null || !trainableScopes.isEmpty()) {
                weights.addAll(WeightSelection.chosen(model, trainableScopes, frozenScopes));
            }
            LoraTraining adapters = lora == null ? null : LoraTraining.prepare(model, lora);
            if (adapters != null) {
                weights.addAll(adapters.adapterWeights());
            }
            if (weights.isEmpty()) {
                throw new TrainingException("no weight left to train in model graph '" + model.graph().name() + "': "
                        + "its weights are " + WeightSelection.all(model) + ", the frozen scopes " + frozenScopes);
            }
            return new FineTune(this, List.copyOf(weights), adapters);
        }

        private static void requireSet(Object setting, String name) {
            if (setting == null) {
                throw new IllegalStateException("the fine-tuning builder needs " + name + "(...)");
            }
        }
    }
}
