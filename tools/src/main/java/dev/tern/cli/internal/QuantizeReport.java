package dev.tern.cli.internal;

import dev.tern.compress.quantize.GuardedQuantization;
import dev.tern.compress.quantize.LayerSensitivity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code tern quantize} did: the mode, how many nodes of each op type it quantized, the
 * file sizes before and after, and with {@code --budget} the accuracy before and after and each
 * layer's error, quantized or kept in float.
 *
 * @param mode "dynamic" or "static QDQ", and per tensor or per channel
 * @param quantized nodes quantized, by op type
 * @param guard the accuracy guard's outcome with --budget
 * @param qat the validation accuracies with --qat and validation data
 */
record QuantizeReport(String input, String output, String mode, Map<String, Integer> quantized, long bytesBefore,
                      long bytesAfter, Optional<Guard> guard, Optional<QatAccuracy> qat) {

    /** The accuracy guard's outcome and the budget it kept to, in points. */
    record Guard(GuardedQuantization outcome, double budgetPoints) {
    }

    /**
     * The validation accuracies of quantization-aware training: the float model's, the model
     * statically quantized with the same calibration, and the QAT model's.
     *
     * @param keptEpoch the epoch whose weights were quantized (from 1)
     * @param epochs the epochs the fine-tuning ran
     */
    record QatAccuracy(double floatAccuracy, double staticAccuracy, double qatAccuracy, int keptEpoch, int epochs) {
    }

    int nodeCount() {
        return quantized.values().stream().mapToInt(Integer::intValue).sum();
    }

    String toText() {
        StringBuilder byOp = new StringBuilder();
        quantized.forEach((op, count) -> byOp.append(byOp.length() == 0 ? "" : ", ").append(op).append(' ').append(count));
        String summary = String.format(Locale.ROOT, "quantized %d nodes (%s), %s%nsize: %,d -> %,d bytes (%.1f%%)%n",
                nodeCount(), byOp, mode, bytesBefore, bytesAfter, 100.0 * bytesAfter / bytesBefore);
        return summary + guard.map(QuantizeReport::guardText).orElse("") + qat.map(QuantizeReport::qatText).orElse("")
                + "wrote " + output;
    }

    private static String guardText(Guard guard) {
        GuardedQuantization outcome = guard.outcome();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "accuracy: float %.4f, quantized %.4f (%.2f points lost, budget %.2f)%n",
                outcome.floatScore(), outcome.quantizedScore(), outcome.dropPoints(), guard.budgetPoints()));
        text.append(String.format(Locale.ROOT, "%-40s %10s  %s%n", "layer", "error", "int8"));
        for (LayerSensitivity layer : outcome.layers()) {
            text.append(String.format(Locale.ROOT, "%-40s %10.5f  %s%n", layer.node(), layer.error(),
                    layer.quantized() ? "quantized" : "kept float"));
        }
        return text.toString();
    }

    private static String qatText(QatAccuracy accuracy) {
        return String.format(Locale.ROOT, "validation accuracy: float %.4f, static int8 %.4f, QAT int8 %.4f "
                + "(epoch %d of %d)%n", accuracy.floatAccuracy(), accuracy.staticAccuracy(), accuracy.qatAccuracy(),
                accuracy.keptEpoch(), accuracy.epochs());
    }

    String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("input", input);
        root.put("output", output);
        root.put("mode", mode);
        root.put("quantized_nodes", nodeCount());
        root.put("quantized_by_op", quantized);
        root.put("bytes_before", bytesBefore);
        root.put("bytes_after", bytesAfter);
        guard.ifPresent(g -> {
            root.put("float_accuracy", g.outcome().floatScore());
            root.put("quantized_accuracy", g.outcome().quantizedScore());
            root.put("budget_points", g.budgetPoints());
            List<Map<String, Object>> layers = new ArrayList<>();
            for (LayerSensitivity layer : g.outcome().layers()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("node", layer.node());
                entry.put("error", layer.error());
                entry.put("quantized", layer.quantized());
                layers.add(entry);
            }
            root.put("layers", layers);
        });
        qat.ifPresent(accuracy -> {
            root.put("float_accuracy", accuracy.floatAccuracy());
            root.put("static_accuracy", accuracy.staticAccuracy());
            root.put("quantized_accuracy", accuracy.qatAccuracy());
            root.put("qat_kept_epoch", accuracy.keptEpoch());
            root.put("qat_epochs", accuracy.epochs());
        });
        return Json.write(root);
    }
}
