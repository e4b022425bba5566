package dev.tern.compress.quantize.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites one node at a time the way ONNX Runtime's {@code quantize_dynamic} writes it.
 *
 * <p>MatMul and Gemm with a constant weight become
 * {@code DynamicQuantizeLinear(x) -> MatMulInteger(x_q, w_int8, x_zero, w_zero) -> Cast(float)
 * -> Mul(., Mul(x_scale, w_scale))}, plus {@code Add(bias)} for a Gemm's C. Each node gets its
 * own scale product, which ONNX Runtime's MatMulIntegerToFloat fusion requires (it checks that
 * nothing else reads it), and its own DynamicQuantizeLinear, which its DynamicQuantizeMatMul
 * fusion requires likewise. Where several MatMuls read one input (attention's Q, K and V),
 * ONNX Runtime's common-subexpression elimination merges their identical DynamicQuantizeLinear
 * nodes first and runs them as MatMulIntegerToFloat: on all-MiniLM-L6-v2 the session then runs
 * the same kernels as ONNX Runtime's own int8 model (18 DynamicQuantizeMatMul, 18
 * MatMulIntegerToFloat, 6 DynamicQuantizeLinear, by its profiler).
 *
 * <p>Gather over a constant float table (an embedding) gathers from the int8 table and
 * dequantizes the rows it picked, as ONNX Runtime's GatherQuant, so the table takes a quarter
 * of its float size.
 */
public final class DynamicRewriter {
    private final Graph graph;
    private final NodeEmitter emit;
    private final boolean perChannel;
    /** Quantized weights by initializer name and layout, so a weight read by several nodes is stored once. */
    private final Map<String, Value[]> weights = new HashMap<>();

    public DynamicRewriter(Graph graph, boolean perChannel) {
        this.graph = graph;
        this.emit = new NodeEmitter(GraphEditor.of(graph));
        this.perChannel = perChannel;
    }

    /** Rewrites a MatMul or Gemm chosen by {@link Targets#dynamic}. */
    public void matMul(Node node) {
        String base = NodeEmitter.baseName(node);
        boolean gemm = node.opType().equals("Gemm");
        boolean transB = gemm && node.attribute("transB").map(a -> a.asInt() != 0).orElse(false);
        float alpha = gemm ? node.attribute("alpha").map(Attribute::asFloat).orElse(1f) : 1f;
        emit.editor().insertBefore(node);
        Value[] weight = weight(node.input(1), transB, alpha, perChannel, base);
        Node quantize = emit.node(base, "DynamicQuantizeLinear", "DynamicQuantizeLinear", List.of(node.input(0)), 3);
        Value product = emit.op(base, "MatMulInteger", "MatMulInteger",
                quantize.output(0), weight[0], quantize.output(2), weight[2]);
        Value asFloat = emit.node(base, "Cast", "Cast", List.of(product), 1,
                Attribute.ofInt("to", ElementType.FLOAT.onnxCode())).output(0);
        Value scale = emit.op(base, "scales", "Mul", quantize.output(1), weight[1]);
        Value result = emit.op(base, "output_scale", "Mul", asFloat, scale);
        if (gemm && node.inputs().size() > 2 && node.input(2) != null) {
            result = emit.op(base, "bias", "Add", result, bias(node, base));
        }
        emit.editor().replaceNode(node, List.of(result));
    }

    /** Rewrites a Gather chosen by {@link Targets#dynamic}: int8 table, Gather, DequantizeLinear. */
    public void gather(Node node) {
        String base = NodeEmitter.baseName(node);
        emit.editor().insertBefore(node);
        Value[] table = weight(node.input(0), false, 1f, false, base);
        Node gathered = emit.node(base, "Gather", "Gather", List.of(table[0], node.input(1)), 1,
                node.attributes().values().toArray(Attribute[]::new));
        Value rows = emit.op(base, "DequantizeLinear", "DequantizeLinear", gathered.output(0), table[1], table[2]);
        emit.editor().replaceNode(node, List.of(rows));
    }

    /**
     * Removes the float weights nothing reads any more. Call once after the last rewrite.
     *
     * @return how many were removed
     */
    public int removeUnreadFloatWeights() {
        int removed = 0;
        for (Value initializer : List.copyOf(graph.initializers().values())) {
            if (!initializer.isUsed() && Weights.isConstantFloat(graph, initializer)) {
                graph.removeInitializer(initializer.name());
                removed++;
            }
        }
        return removed;
    }

    /**
     * The int8 weight, its scale (times {@code alpha}) and zero point: per output column of a
     * [K, N] matrix if {@code perColumn}, per tensor otherwise.
     */
    private Value[] weight(Value floatWeight, boolean transpose, float alpha, boolean perColumn, String base) {
        String key = floatWeight.name() + (transpose ? "^T" : "") + "*" + alpha + (perColumn ? " per column" : "");
        Value[] cached = weights.get(key);
        if (cached != null) {
            return cached;
        }
        Tensor matrix = transpose ? Weights.transpose(floatWeight.initializer()) : floatWeight.initializer();
        QuantizedWeight quantized = QuantizedWeight.of(matrix, perColumn ? 1 : -1);
        Tensor scale = quantized.scaleTensor("scale");
        Value[] values = {
            emit.initializer(base, "weight_quantized", quantized.values()),
            emit.initializer(base, "weight_scale", alpha == 1f ? scale : Weights.scaled(scale, alpha, "scale")),
            emit.initializer(base, "weight_zero_point", quantized.zeroPointTensor("zero_point")),
        };
        weights.put(key, values);
        return values;
    }

    /** Gemm's C, times beta unless beta is 1. */
    private Value bias(Node gemm, String base) {
        float beta = gemm.attribute("beta").map(Attribute::asFloat).orElse(1f);
        Value bias = gemm.input(2);
        return beta == 1f ? bias : emit.initializer(base, "bias_scaled", Weights.scaled(bias.initializer(), beta, "bias"));
    }
}
