package dev.tern.compress.quantize;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.Map;
import java.util.Random;

/** Small float models built in code for the quantization tests, and a way to run them. */
final class TestModels {
    static final long OPSET = 17;

    private TestModels() {
    }

    /**
     * hidden = Gemm(x [batch, 8], W1 [16, 8] transB, b1, alpha 0.5, beta 2) named "dense1", a Relu,
     * y = MatMul(hidden, W2 [16, 4]) named "dense2"; and rows = Gather(table [10, 4], ids) named "embed".
     * W2's columns differ in scale by a factor of 100, which per-channel scales handle and one scale does not.
     */
    static Model denseAndEmbedding() {
        Random random = new Random(7);
        GraphBuilder g = GraphBuilder.create("dense");
        Value x = g.input("x", ElementType.FLOAT, new Dim.Symbolic("batch"), new Dim.Known(8));
        Value ids = g.input("ids", ElementType.INT64, new Dim.Symbolic("batch"));
        Value w1 = g.initializer("w1", Tensor.ofFloats("w1", new long[] {16, 8}, gaussian(random, 128, 1f)));
        Value b1 = g.initializer("b1", Tensor.ofFloats("b1", new long[] {16}, gaussian(random, 16, 0.1f)));
        Value hidden = g.node("Gemm").name("dense1").inputs(x, w1, b1).attr("transB", 1L).attr("alpha", 0.5f)
                .attr("beta", 2f).output();
        Value relu = g.op("Relu", hidden);
        float[] w2 = gaussian(random, 64, 1f);
        for (int i = 0; i < w2.length; i += 4) {
            w2[i] *= 0.01f;
        }
        Value w2Value = g.initializer("w2", Tensor.ofFloats("w2", new long[] {16, 4}, w2));
        g.output(g.node("MatMul").name("dense2").inputs(relu, w2Value).output(), "y");
        Value table = g.initializer("table", Tensor.ofFloats("table", new long[] {10, 4}, gaussian(random, 40, 1f)));
        g.output(g.node("Gather").name("embed").inputs(table, ids).output(), "rows");
        return g.toModel(OPSET);
    }

    /** Inputs for {@link #denseAndEmbedding}: {@code batch} rows of standard normal x and ids 0..9. */
    static Map<String, Tensor> denseInputs(int batch, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[batch];
        for (int i = 0; i < batch; i++) {
            ids[i] = i % 10;
        }
        return Map.of("x", Tensor.ofFloats("x", new long[] {batch, 8}, gaussian(random, batch * 8, 1f)),
                "ids", Tensor.ofLongs("ids", new long[] {batch}, ids));
    }

    static float[] gaussian(Random random, int count, float deviation) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian() * deviation;
        }
        return values;
    }

    /** Runs {@code model} once through ONNX Runtime. */
    static Map<String, Tensor> run(Model model, Map<String, Tensor> inputs) {
        try (Runtime runtime = Runtime.create(); CompiledModel compiled = runtime.compile(model)) {
            return compiled.run(inputs);
        }
    }

    /** How many nodes of {@code opType} the model's main graph holds. */
    static long count(Model model, String opType) {
        return model.graph().nodes().stream().map(Node::opType).filter(opType::equals).count();
    }

    /** The largest absolute difference between two FLOAT tensors of one shape. */
    static float maxDifference(Tensor a, Tensor b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        float max = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }
}
