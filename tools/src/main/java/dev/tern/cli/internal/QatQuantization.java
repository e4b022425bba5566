package dev.tern.cli.internal;

import dev.tern.compress.quantize.QuantizationAwareTraining;
import dev.tern.compress.quantize.QuantizationResult;
import dev.tern.compress.quantize.QuantizationSettings;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.FineTune;
import dev.tern.train.FineTuneData;
import dev.tern.train.TrainingListener;
import dev.tern.train.data.BatchSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tern quantize --qat}: quantization-aware training of a classifier through
 * {@link QuantizationAwareTraining}, calibrated on the calibration data, fine-tuned with
 * cross-entropy on the first output's class scores as the data and training options say, and
 * exported in the static QDQ format. With validation data it also scores the float model, the
 * model statically quantized with the same calibration, and the QAT model, so the report shows
 * what the training won.
 */
final class QatQuantization {
    private final Path modelFile;
    private final DataOptions data;
    private final TrainingOptions training;

    QatQuantization(Path modelFile, DataOptions data, TrainingOptions training) {
        this.modelFile = modelFile;
        this.data = data;
        this.training = training;
    }

    /**
     * The QDQ model and, with validation data, the three accuracies.
     *
     * @param calibration the batches the activations' ranges are calibrated on
     * @param listener follows the fine-tuning's progress
     * @throws CliFailure (usage) if the data cannot be read, do not fit the model, or the first
     *     output does not score classes
     */
    Outcome quantize(Model model, QuantizationSettings settings, List<Map<String, Tensor>> calibration,
                     TrainingListener listener) throws Exception {
        Value scores = model.graph().outputs().get(0);
        try (FineTuneData inputs = data.prepare(modelFile, model, training, features -> features);
             Runtime runtime = Runtime.create()) {
            QuantizationAwareTraining.Result qat = QuantizationAwareTraining.run(model, settings, calibration,
                    fakeQuantized -> recipe(fakeQuantized, inputs, listener), runtime);
            Model exported = inputs.export().applyTo(qat.quantized().model());
            QuantizationResult written = new QuantizationResult(exported, qat.quantized().quantizedNodes(),
                    qat.quantized().quantizedOpTypes());
            if (inputs.validation().isEmpty()) {
                return new Outcome(written, Optional.empty());
            }
            BatchSource validation = inputs.validation().get();
            SessionConfig config = training.sessionConfig();
            Model statically = qat.untrained().model();
            QuantizeReport.QatAccuracy accuracy = new QuantizeReport.QatAccuracy(
                    ValidationAccuracy.of(runtime, model, scores.name(), validation, config),
                    ValidationAccuracy.of(runtime, statically, scores.name(), validation, config),
                    ValidationAccuracy.of(runtime, exported, scores.name(), validation, config),
                    qat.training().outcome().keptEpoch(), qat.training().outcome().history().epochs().size());
            return new Outcome(written, Optional.of(accuracy));
        }
    }

    /** The written model and the quantized nodes, and the accuracies when there is validation data. */
    record Outcome(QuantizationResult result, Optional<QuantizeReport.QatAccuracy> accuracy) {
    }

    private FineTune recipe(Model fakeQuantized, FineTuneData inputs, TrainingListener listener) {
        return TrainingOptions.build(training.applyTo(FineTune.builder(fakeQuantized, inputs.train()), inputs)
                .loss(inputs.loss()).listener(listener));
    }
}
