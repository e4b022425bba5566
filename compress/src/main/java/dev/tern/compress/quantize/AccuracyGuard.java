package dev.tern.compress.quantize;

import dev.tern.compress.quantize.internal.LayerErrors;
import dev.tern.compress.quantize.internal.NodeEmitter;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Static quantization that stays within a budget of lost accuracy: quantize every layer, score
 * the result on validation data, and while it loses more than the budget keep the most sensitive
 * remaining layer in float and score again. A layer's sensitivity is the relative L2 error of its
 * output on the validation inputs when it alone is quantized. Ranges are calibrated once, for
 * every layer.
 */
public final class AccuracyGuard {
    /** A model's score on validation data as a fraction, higher is better (accuracy 0.97). */
    @FunctionalInterface
    public interface Metric {
        double score(Model model);
    }

    private AccuracyGuard() {
    }

    /**
     * Quantizes {@code model} statically, keeping layers in float until {@code metric} drops by at
     * most {@code budgetPoints} points (hundredths).
     *
     * @param validation the inputs the per-layer errors are measured on (those the metric scores)
     * @throws IllegalArgumentException if the budget is negative or not finite
     * @throws QuantizationException as {@link Quantization#qdq}, or if even one quantized layer
     *     loses more than the budget
     */
    public static GuardedQuantization quantize(Model model, QuantizationSettings settings,
                                               Iterable<Map<String, Tensor>> calibration,
                                               Iterable<Map<String, Tensor>> validation, Metric metric,
                                               double budgetPoints) {
        Objects.requireNonNull(metric, "metric");
        if (!(budgetPoints >= 0) || !Double.isFinite(budgetPoints)) {
            throw new IllegalArgumentException("the budget must be a finite number of points, at least 0, found "
                    + budgetPoints);
        }
        List<Node> targets = Quantization.qdqTargets(model, settings);
        Map<String, float[]> ranges = Quantization.calibrate(model, targets, calibration, settings);
        QuantizationResult all = Quantization.applyQdq(model, settings, ranges);
        Map<Node, Double> errors = new IdentityHashMap<>();
        for (Node node : targets) {
            errors.put(node, isolatedError(model, settings, targets, node, ranges, validation));
        }
        List<Node> bySensitivity = new ArrayList<>(targets);
        bySensitivity.sort(Comparator.comparing(errors::get).reversed());

        double floatScore = metric.score(model);
        QuantizationResult current = all;
        double score = metric.score(current.model());
        List<String> kept = new ArrayList<>();
        while (100 * (floatScore - score) > budgetPoints) {
            if (kept.size() == bySensitivity.size() - 1) {
                throw new QuantizationException("model graph '" + model.graph().name() + "': even the least "
                        + "sensitive layer alone loses " + 100 * (floatScore - score) + " points, more than the budget of "
                        + budgetPoints);
            }
            Node next = bySensitivity.get(kept.size());
            kept.add(NodeEmitter.baseName(next));
            current = Quantization.applyQdq(model, without(settings, kept), ranges);
            score = metric.score(current.model());
        }
        List<LayerSensitivity> layers = new ArrayList<>();
        for (Node node : bySensitivity) {
            layers.add(new LayerSensitivity(node.describe(), errors.get(node),
                    current.quantizedNodes().contains(node.describe())));
        }
        return new GuardedQuantization(current, floatScore, score, layers);
    }

    /**
     * The relative error of {@code layer}'s output with it alone quantized: its own sensitivity,
     * free of the errors of the layers before it, which would otherwise make the last layers look
     * the most sensitive.
     */
    private static double isolatedError(Model model, QuantizationSettings settings, List<Node> targets, Node layer,
                                        Map<String, float[]> ranges, Iterable<Map<String, Tensor>> validation) {
        List<String> others = targets.stream().filter(node -> node != layer).map(NodeEmitter::baseName).toList();
        Model alone = Quantization.applyQdq(model, without(settings, others), ranges).model();
        String output = layer.output(0).name();
        return LayerErrors.measure(model, alone, List.of(output), validation).get(output);
    }

    /** {@code settings} that also exclude the {@code kept} nodes. */
    private static QuantizationSettings without(QuantizationSettings settings, List<String> kept) {
        return QuantizationSettings.builder()
                .perChannel(settings.perChannel())
                .symmetricActivations(settings.symmetricActivations())
                .calibration(settings.calibration())
                .percentile(settings.percentile())
                .exclude(settings.exclude())
                .exclude(kept)
                .build();
    }
}
