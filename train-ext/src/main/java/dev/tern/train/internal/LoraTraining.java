package dev.tern.train.internal;

import dev.tern.exec.AdapterFile;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.lora.LoraAdapters;
import dev.tern.train.lora.LoraInsertion;
import dev.tern.train.lora.LoraMerge;
import dev.tern.train.lora.LoraResult;
import dev.tern.train.lora.LoraSettings;
import dev.tern.train.lora.LoraTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The LoRA side of a fine-tuning: the model to train, with adapters beside the chosen weights,
 * and from the trained weights the adapter file, the base it applies to and the merged model.
 * Immutable; the original model is never edited.
 */
public final class LoraTraining {
    private final Model original;
    private final LoraSettings settings;
    private final double scale;
    private final Model trainingModel;
    private final List<LoraTarget> targets;

    private LoraTraining(Model original, LoraSettings settings, double scale, Model trainingModel,
                         List<LoraTarget> targets) {
        this.original = original;
        this.settings = settings;
        this.scale = scale;
        this.trainingModel = trainingModel;
        this.targets = targets;
    }

    /**
     * Inserts the adapters of {@code settings} into a copy of {@code original}.
     *
     * @throws IllegalArgumentException if the settings' rank or alpha is out of range
     * @throws dev.tern.train.TrainingException if a scope matches no MatMul or Gemm weight, or
     *     the model cannot take the adapters
     */
    public static LoraTraining prepare(Model original, LoraSettings settings) {
        LoraInsertion insertion = settings.insertion();
        Model trainingModel = original.copy();
        List<LoraTarget> targets = insertion.insert(trainingModel);
        return new LoraTraining(original, settings, insertion.scale(), trainingModel, targets);
    }

    /** The model with trainable adapters; the caller must not edit it. */
    public Model trainingModel() {
        return trainingModel;
    }

    /** Every adapter's {@code A} and {@code B}, in node order. */
    public List<String> adapterWeights() {
        List<String> names = new ArrayList<>();
        for (LoraTarget target : targets) {
            names.add(target.aName());
            names.add(target.bName());
        }
        return names;
    }

    /**
     * The adapter file and base model from {@code trained} weights.
     *
     * @param trained the trained weights by name, every adapter's among them
     * @param replaced the other trained weights (a task head), which the adapter carries whole
     * @throws dev.tern.train.TrainingException if {@code trained} lacks one of them
     */
    public LoraResult result(Map<String, Tensor> trained, List<String> replaced) {
        AdapterFile adapter = LoraAdapters.fromTraining(targets, scale, trained, replaced);
        Model base = original.copy();
        LoraInsertion.forAdapters(settings.targets()).insert(base);
        LoraAdapters.addOptionalInputs(base, replaced);
        return new LoraResult(adapter, base, targets.stream().map(LoraTarget::name).toList());
    }

    /** The original model with {@code result}'s adapter merged into its weights: a plain model. */
    public Model merged(LoraResult result) {
        Model merged = original.copy();
        LoraMerge.of(settings.targets(), result.adapter()).merge(merged);
        return merged;
    }
}
