package dev.tern.compress.quantize;

import dev.tern.compress.quantize.internal.DynamicRewriter;
import dev.tern.compress.quantize.internal.Targets;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.passes.Pass;
import java.util.Objects;

/**
 * Dynamic quantization as ONNX Runtime's {@code quantize_dynamic} writes it, on a copy: every
 * MatMul and Gemm with a constant float weight (and, for Gemm, no transposed A and a constant or
 * absent C) computes with int8 weights (symmetric, per tensor or per output column) and uint8
 * activations quantized at run time by DynamicQuantizeLinear, through MatMulInteger, a Cast and
 * a Mul by the product of the two scales; every Gather over a constant float table reads an int8
 * table and dequantizes the rows it picks. Excluded op types and node names stay float. ONNX
 * Runtime fuses each MatMul chain into one DynamicQuantizeMatMul kernel at its extended and
 * full optimization levels.
 *
 * <p>Requires: default-domain opset 11 or later (DynamicQuantizeLinear's). Ensures: no targeted
 * node is left, and the model validates.
 */
public final class DynamicQuantizationPass extends Pass {
    /** The first default-domain opset with DynamicQuantizeLinear. */
    static final long MIN_OPSET = 11;

    private final QuantizationSettings settings;

    public DynamicQuantizationPass(QuantizationSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public String name() {
        return "quantize-dynamic";
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    protected void requires(Model model) {
        long opset = model.opsetImports().getOrDefault("", 0L);
        if (opset < MIN_OPSET) {
            throw new IllegalStateException("expected default-domain opset " + MIN_OPSET
                    + " or later (DynamicQuantizeLinear), found " + opset);
        }
    }

    @Override
    protected boolean run(Model model) {
        DynamicRewriter rewriter = new DynamicRewriter(model.graph(), settings.perChannel());
        boolean changed = false;
        for (Node node : Targets.dynamic(model, settings)) {
            if (node.opType().equals("Gather")) {
                rewriter.gather(node);
            } else {
                rewriter.matMul(node);
            }
            changed = true;
        }
        rewriter.removeUnreadFloatWeights();
        return changed;
    }

    @Override
    protected void ensures(Model model) {
        if (!Targets.dynamic(model, settings).isEmpty()) {
            throw new IllegalStateException("left quantizable nodes in float: " + Targets.dynamic(model, settings)
                    .stream().map(Node::describe).toList());
        }
        model.validate();
    }
}
