package dev.tern.compress.quantize;

import dev.tern.compress.quantize.internal.Calibration;
import dev.tern.compress.quantize.internal.QdqRewriter;
import dev.tern.compress.quantize.internal.Targets;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.passes.PassException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Quantizes float models to 8-bit integers: {@link #dynamic} (weights int8 offline, activations
 * at run time, as ONNX Runtime's {@code quantize_dynamic}) and {@link #qdq} (weights and
 * activations through QuantizeLinear/DequantizeLinear pairs with ranges calibrated on data, as
 * its {@code quantize_static} in QDQ format). The model given is never changed.
 */
public final class Quantization {
    private Quantization() {
    }

    /**
     * Dynamic quantization through {@link DynamicQuantizationPass}.
     *
     * @throws QuantizationException if an excluded name matches no node, or nothing is left to quantize
     * @throws PassException from pass 'quantize-dynamic' if the model's opset is below 11
     */
    public static QuantizationResult dynamic(Model model, QuantizationSettings settings) {
        Objects.requireNonNull(model, "model");
        Targets.requireExclusionsMatch(model, settings);
        List<Node> targets = Targets.dynamic(model, settings);
        requireSomething(model, targets, "MatMul or Gemm with a constant float weight, or Gather over a constant "
                + "float table");
        Model quantized = new DynamicQuantizationPass(settings).apply(model).model();
        return result(quantized, targets);
    }

    /**
     * Static quantization in QDQ format: calibrates the range of every activation the targets read
     * or write by running the float model on {@code calibration} (each batch maps every graph
     * input to a tensor; the batches are read twice for Percentile and Entropy), then applies
     * {@link StaticQuantizationPass}.
     *
     * @throws QuantizationException if an excluded name matches no node, nothing is left to
     *     quantize, there are no calibration batches, or a batch does not fit the model
     * @throws PassException from pass 'quantize-qdq' if the model's opset is too old (10, or 13 per channel)
     */
    public static QuantizationResult qdq(Model model, QuantizationSettings settings,
                                         Iterable<Map<String, Tensor>> calibration) {
        Objects.requireNonNull(calibration, "calibration");
        List<Node> targets = qdqTargets(model, settings);
        return applyQdq(model, settings, calibrate(model, targets, calibration, settings));
    }

    /**
     * The nodes static quantization rewrites.
     *
     * @throws QuantizationException if an excluded name matches no node, or nothing is left to quantize
     */
    static List<Node> qdqTargets(Model model, QuantizationSettings settings) {
        Objects.requireNonNull(model, "model");
        Targets.requireExclusionsMatch(model, settings);
        List<Node> targets = Targets.qdq(model, settings);
        requireSomething(model, targets, "Conv, MatMul or Gemm with a constant float weight");
        return targets;
    }

    /** The calibrated range of every activation {@code targets} read or write. */
    static Map<String, float[]> calibrate(Model model, List<Node> targets, Iterable<Map<String, Tensor>> calibration,
                                          QuantizationSettings settings) {
        Set<String> activations = new LinkedHashSet<>();
        targets.forEach(node -> activations.addAll(QdqRewriter.activationNames(node)));
        return Calibration.ranges(model, activations, calibration, settings);
    }

    /** {@link StaticQuantizationPass} with ranges already calibrated. */
    static QuantizationResult applyQdq(Model model, QuantizationSettings settings, Map<String, float[]> ranges) {
        List<Node> targets = Targets.qdq(model, settings);
        return result(new StaticQuantizationPass(settings, ranges).apply(model).model(), targets);
    }

    private static void requireSomething(Model model, List<Node> targets, String wanted) {
        if (targets.isEmpty()) {
            TreeSet<String> opTypes = new TreeSet<>();
            model.graph().nodes().forEach(node -> opTypes.add(node.opType()));
            throw new QuantizationException("model graph '" + model.graph().name() + "' has nothing to quantize: "
                    + "expected a " + wanted + " not excluded, found the op types " + opTypes);
        }
    }

    static QuantizationResult result(Model quantized, List<Node> targets) {
        Map<String, Integer> byOpType = new LinkedHashMap<>();
        targets.forEach(node -> byOpType.merge(node.opType(), 1, Integer::sum));
        return new QuantizationResult(quantized, targets.stream().map(Node::describe).toList(), byOpType);
    }
}
