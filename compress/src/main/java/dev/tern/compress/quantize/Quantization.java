package dev.tern.compress.quantize;

import dev.tern.compress.quantize.internal.Targets;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.passes.PassException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    static void requireSomething(Model model, List<Node> targets, String wanted) {
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
