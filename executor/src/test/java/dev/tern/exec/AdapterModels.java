package dev.tern.exec;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.util.List;
import java.util.Random;

/**
 * A base model ready for LoRA adapters, built by hand: y = x W + (x A) B with x[batch, IN],
 * W[IN, OUT], and A[IN, rank], B[rank, OUT] graph inputs whose initializer defaults (rank 1,
 * zeros) leave the adapter out. The rank dimension is symbolic, so adapters of any rank fit.
 */
final class AdapterModels {
    static final int IN = 16;
    static final int OUT = 8;
    static final String A = "w.lora_A";
    static final String B = "w.lora_B";

    private AdapterModels() {
    }

    static Model base(float[] w) {
        GraphBuilder g = GraphBuilder.create("lora_base");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(IN));
        Value weight = g.initializer(Tensor.ofFloats("w", new long[] {IN, OUT}, w));
        Value a = g.initializer(Tensor.zeros(A, ElementType.FLOAT, IN, 1));
        Value b = g.initializer(Tensor.zeros(B, ElementType.FLOAT, 1, OUT));
        g.output(g.op("Add", g.op("MatMul", x, weight), g.op("MatMul", g.op("MatMul", x, a), b)), "y");
        Graph graph = g.build();
        makeOptionalInput(graph, a, Dim.of(IN), Dim.of("lora_rank"));
        makeOptionalInput(graph, b, Dim.of("lora_rank"), Dim.of(OUT));
        Model model = new Model(graph);
        model.opsetImports().put("", 21L);
        return model;
    }

    /** Makes initializer {@code value} a graph input too, of a shape with a symbolic rank. */
    private static void makeOptionalInput(Graph graph, Value value, Dim... dims) {
        value.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(dims)));
        graph.addInput(value);
    }

    /** A random adapter of {@code rank} for {@link #base}. */
    static AdapterFile adapter(int rank, long seed) {
        Random random = new Random(seed);
        return AdapterFile.of(List.of(
                Tensor.ofFloats(A, new long[] {IN, rank}, TestModels.randoms(random, IN * rank)),
                Tensor.ofFloats(B, new long[] {rank, OUT}, TestModels.randoms(random, rank * OUT))));
    }

    /** x (W + A B) for a [batch, IN] row-major x; A B left out when {@code adapter} is null. */
    static float[] reference(float[] x, int batch, float[] w, AdapterFile adapter) {
        float[] merged = w.clone();
        if (adapter != null) {
            float[] a = adapter.parameter(A).orElseThrow().toFloatArray();
            float[] b = adapter.parameter(B).orElseThrow().toFloatArray();
            int rank = a.length / IN;
            for (int i = 0; i < IN; i++) {
                for (int o = 0; o < OUT; o++) {
                    for (int r = 0; r < rank; r++) {
                        merged[i * OUT + o] += a[i * rank + r] * b[r * OUT + o];
                    }
                }
            }
        }
        float[] y = new float[batch * OUT];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < OUT; o++) {
                for (int i = 0; i < IN; i++) {
                    y[n * OUT + o] += x[n * IN + i] * merged[i * OUT + o];
                }
            }
        }
        return y;
    }
}
