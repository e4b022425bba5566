package dev.tern.compress.quantize;

import dev.tern.compress.quantize.internal.QdqRewriter;
import dev.tern.compress.quantize.internal.Targets;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.passes.Pass;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fake quantization for quantization-aware training, on a copy: the same Conv, MatMul and Gemm
 * nodes as {@link StaticQuantizationPass} read and write their activations through the same
 * QuantizeLinear/DequantizeLinear pairs with the calibrated ranges, but each weight stays a
 * trainable float initializer read through a QuantizeLinear/DequantizeLinear pair whose
 * symmetric int8 scale the graph computes from the weight's current value at every run (per
 * tensor or per output channel, as the static pass would store it), and biases stay float. The
 * autodiff's straight-through rules then train the float weights through the rounding.
 *
 * <p>Requires: as {@link StaticQuantizationPass}. Ensures: no targeted node reads a constant
 * weight directly any more, and the model validates.
 */
public final class FakeQuantizationPass extends Pass {
    private final QuantizationSettings settings;
    private final Map<String, float[]> ranges;

    /**
     * @param ranges each activation's calibrated {@code [min, max]}, by tensor name
     */
    public FakeQuantizationPass(QuantizationSettings settings, Map<String, float[]> ranges) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ranges = new HashMap<>();
        ranges.forEach((name, range) -> this.ranges.put(name, range.clone()));
    }

    @Override
    public String name() {
        return "fake-quantize-qdq";
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    protected void requires(Model model) {
        StaticQuantizationPass.requireCalibrated(model, settings, ranges);
    }

    @Override
    protected boolean run(Model model) {
        QdqRewriter rewriter = QdqRewriter.forTraining(model.graph(),
                StaticQuantizationPass.activationParams(settings, ranges), settings.perChannel(),
                model.opsetImports().getOrDefault("", 0L));
        List<Node> targets = Targets.qdq(model, settings);
        targets.forEach(rewriter::rewrite);
        return !targets.isEmpty();
    }

    @Override
    protected void ensures(Model model) {
        StaticQuantizationPass.requireNoFloatWeightLeft(model, settings);
    }
}
