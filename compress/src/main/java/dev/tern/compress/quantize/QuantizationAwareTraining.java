package dev.tern.compress.quantize;

import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.FineTune;
import dev.tern.train.TrainingException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Quantization-aware training: calibrates the activations' ranges as {@link Quantization#qdq}
 * does, inserts fake quantization where the static pass would quantize ({@link
 * FakeQuantizationPass}: the weights fake-quantized from their live float values), fine-tunes
 * that model with a {@link FineTune} recipe, and exports the trained float weights through
 * {@link StaticQuantizationPass} with the same calibrated ranges: int8 weights read through
 * DequantizeLinear and the activations' scales kept, the format the static pass writes.
 *
 * <pre>{@code
 * QuantizationAwareTraining.Result qat = QuantizationAwareTraining.run(model, settings, calibration,
 *         fakeQuantized -> FineTune.builder(fakeQuantized, train.feeding("input"))
 *                 .loss(Loss.crossEntropy(), "logits")
 *                 .optimizer(Optimizer.adam())
 *                 .schedule(steps -> LearningRateSchedule.cosine(1e-4, steps, 0))
 *                 .build(),
 *         runtime);
 * Model int8 = qat.quantized().model();
 * }</pre>
 */
public final class QuantizationAwareTraining {
    private QuantizationAwareTraining() {
    }

    /**
     * What quantization-aware training produced.
     *
     * @param quantized the exported QDQ model and the nodes quantized
     * @param untrained the float model quantized with the same calibrated ranges before any
     *     training: what static quantization ({@link Quantization#qdq}) gives, to compare against
     * @param training the fine-tuning's result over the fake-quantized model (its history, and its
     *     model, which still holds the fake quantization)
     */
    public record Result(QuantizationResult quantized, QuantizationResult untrained, FineTune.Result training) {
        public Result {
            Objects.requireNonNull(quantized, "quantized");
            Objects.requireNonNull(untrained, "untrained");
            Objects.requireNonNull(training, "training");
        }
    }

    /**
     * Calibrates, fine-tunes the fake-quantized model with the recipe {@code recipe} builds for it,
     * and exports the QDQ model. The model given is never changed; the runtime is not closed.
     *
     * @param recipe builds the fine-tuning of the fake-quantized model it is given (whose weights
     *     keep the float model's names, so scopes written for the float model still apply)
     * @throws QuantizationException as {@link Quantization#qdq}
     * @throws TrainingException as {@link FineTune#run}, or if the recipe trains a
     *     weight the float model lacks
     * @throws dev.tern.train.AutodiffException as {@link FineTune#run}
     */
    public static Result run(Model model, QuantizationSettings settings, Iterable<Map<String, Tensor>> calibration,
                             Function<Model, FineTune> recipe, Runtime runtime) {
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(runtime, "runtime");
        List<Node> targets = Quantization.qdqTargets(model, settings);
        Map<String, float[]> ranges = Quantization.calibrate(model, targets, calibration, settings);
        Model fakeQuantized = new FakeQuantizationPass(settings, ranges).apply(model).model();
        FineTune.Result training = recipe.apply(fakeQuantized).run(runtime);
        Model trainedFloat = withTrainedWeights(model, training);
        return new Result(Quantization.applyQdq(trainedFloat, settings, ranges),
                Quantization.applyQdq(model, settings, ranges), training);
    }

    /** A copy of the float model holding the weights the fine-tuning trained. */
    private static Model withTrainedWeights(Model model, FineTune.Result training) {
        Model copy = model.copy();
        Map<String, Value> trained = training.model().graph().initializers();
        for (String name : training.weights()) {
            Value target = copy.graph().initializers().get(name);
            if (target == null) {
                throw new TrainingException("model graph '" + model.graph().name()
                        + "': the quantization-aware training trained weight '" + name
                        + "', which the float model does not have; its weights are "
                        + copy.graph().initializers().keySet());
            }
            target.setInitializer(trained.get(name).initializer());
        }
        return copy;
    }
}
