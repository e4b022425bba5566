package dev.tern.compress.quantize;

import dev.tern.compress.quantize.internal.AffineParams;
import dev.tern.compress.quantize.internal.QdqRewriter;
import dev.tern.compress.quantize.internal.QuantType;
import dev.tern.compress.quantize.internal.Targets;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.passes.Pass;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Static quantization in ONNX Runtime's QDQ format, on a copy: every Conv, MatMul and Gemm with a
 * constant float weight (not excluded) reads its activations through QuantizeLinear/
 * DequantizeLinear pairs with the calibrated ranges given, uint8 with a fitted zero point or, with
 * symmetric activations, int8 with zero point 0; its output passes through such a pair too; its
 * weight is stored as symmetric int8 (per tensor, or per output channel: axis 0 for Conv, the
 * output axis for MatMul and Gemm) and its bias as int32.
 *
 * <p>Requires: default-domain opset 10 or later, 13 or later for per-channel weights (the
 * {@code axis} of DequantizeLinear), and a range for every activation a target reads or writes.
 * Ensures: no targeted node is left reading a float weight, and the model validates.
 */
public final class StaticQuantizationPass extends Pass {
    private final QuantizationSettings settings;
    private final Map<String, float[]> ranges;

    /**
     * @param ranges each activation's calibrated {@code [min, max]}, by tensor name (see
     *     {@link Quantization#qdq}, which calibrates them)
     */
    public StaticQuantizationPass(QuantizationSettings settings, Map<String, float[]> ranges) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ranges = new HashMap<>();
        ranges.forEach((name, range) -> this.ranges.put(name, range.clone()));
    }

    @Override
    public String name() {
        return "quantize-qdq";
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    protected void requires(Model model) {
        requireCalibrated(model, settings, ranges);
    }

    @Override
    protected boolean run(Model model) {
        QdqRewriter rewriter = new QdqRewriter(model.graph(), activationParams(settings, ranges),
                settings.perChannel());
        List<Node> targets = Targets.qdq(model, settings);
        targets.forEach(rewriter::rewrite);
        rewriter.removeUnreadFloatWeights();
        return !targets.isEmpty();
    }

    @Override
    protected void ensures(Model model) {
        requireNoFloatWeightLeft(model, settings);
    }

    /** The opset and ranges a QDQ rewrite of {@code model}'s targets needs. */
    static void requireCalibrated(Model model, QuantizationSettings settings, Map<String, float[]> ranges) {
        long opset = model.opsetImports().getOrDefault("", 0L);
        long needed = settings.perChannel() ? 13 : 10;
        if (opset < needed) {
            throw new IllegalStateException("expected default-domain opset " + needed + " or later (QuantizeLinear"
                    + (settings.perChannel() ? " with a per-channel axis" : "") + "), found " + opset);
        }
        for (Node node : Targets.qdq(model, settings)) {
            for (String name : QdqRewriter.activationNames(node)) {
                if (!ranges.containsKey(name)) {
                    throw new IllegalStateException("node " + node.describe() + ": activation '" + name
                            + "' has no calibrated range");
                }
            }
        }
    }

    /** Each activation's quantization parameters, from its calibrated range. */
    static Map<String, AffineParams> activationParams(QuantizationSettings settings, Map<String, float[]> ranges) {
        QuantType type = settings.symmetricActivations() ? QuantType.INT8 : QuantType.UINT8;
        Map<String, AffineParams> params = new HashMap<>();
        ranges.forEach((name, range) -> params.put(name,
                AffineParams.covering(range[0], range[1], type, settings.symmetricActivations())));
        return params;
    }

    /** Checks that no target reads a constant float weight any more, and that the model validates. */
    static void requireNoFloatWeightLeft(Model model, QuantizationSettings settings) {
        List<Node> left = Targets.qdq(model, settings);
        if (!left.isEmpty()) {
            throw new IllegalStateException("left nodes reading float weights: "
                    + left.stream().map(Node::describe).toList());
        }
        model.validate();
    }
}
