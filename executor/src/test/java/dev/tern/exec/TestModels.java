package dev.tern.exec;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Models built in code with {@link GraphBuilder}, and plain-Java references for their results. */
final class TestModels {
    static final int IN = 64;
    static final int HIDDEN = 128;
    static final int OUT = 10;

    private TestModels() {
    }

    /** Weights of the MLP, kept so tests can compute the expected output in Java. */
    record Mlp(Model model, float[] w1, float[] b1, float[] w2, float[] b2) {
        /** relu(x W1 + b1) W2 + b2 for a [batch, IN] row-major input. */
        float[] reference(float[] x, int batch) {
            float[] out = new float[batch * OUT];
            float[] hidden = new float[HIDDEN];
            for (int r = 0; r < batch; r++) {
                for (int h = 0; h < HIDDEN; h++) {
                    float sum = b1[h];
                    for (int i = 0; i < IN; i++) {
                        sum += x[r * IN + i] * w1[i * HIDDEN + h];
                    }
                    hidden[h] = Math.max(0, sum);
                }
                for (int o = 0; o < OUT; o++) {
                    float sum = b2[o];
                    for (int h = 0; h < HIDDEN; h++) {
                        sum += hidden[h] * w2[h * OUT + o];
                    }
                    out[r * OUT + o] = sum;
                }
            }
            return out;
        }
    }

    /** A 64-128-10 MLP with input x[batch, 64] and output y[batch, 10]. */
    static Mlp mlp() {
        Random random = new Random(42);
        float[] w1 = randoms(random, IN * HIDDEN);
        float[] b1 = randoms(random, HIDDEN);
        float[] w2 = randoms(random, HIDDEN * OUT);
        float[] b2 = randoms(random, OUT);
        GraphBuilder g = GraphBuilder.create("mlp");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(IN));
        Value h = g.op("Relu", g.op("Add", g.op("MatMul", x, g.initializer(Tensor.ofFloats("w1", new long[] {IN, HIDDEN}, w1))),
                g.initializer(Tensor.ofFloats("b1", new long[] {HIDDEN}, b1))));
        Value y = g.op("Add", g.op("MatMul", h, g.initializer(Tensor.ofFloats("w2", new long[] {HIDDEN, OUT}, w2))),
                g.initializer(Tensor.ofFloats("b2", new long[] {OUT}, b2)));
        g.output(y, "y");
        return new Mlp(g.toModel(21), w1, b1, w2, b2);
    }

    /** y = x + b with b[n] over {@code bias}, a buffer the test keeps and may change. */
    static Model addBias(ByteBuffer bias, int n) {
        GraphBuilder g = GraphBuilder.create("add_bias");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(n));
        Value b = g.initializer(Tensor.of("b", ElementType.FLOAT, new long[] {n}, bias));
        g.output(g.op("Add", x, b), "y");
        return g.toModel(21);
    }

    /** Two inputs sharing the symbol "batch": sum = a + b, both [batch, 3]. */
    static Model twoInputs() {
        GraphBuilder g = GraphBuilder.create("two_inputs");
        Value a = g.input("a", ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        Value b = g.input("b", ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        g.output(g.op("Add", a, b), "sum");
        return g.toModel(21);
    }

    /** y = x for one element type, shape [2, 3]. */
    static Model identity(ElementType type) {
        GraphBuilder g = GraphBuilder.create("identity_" + type.onnxName());
        Value x = g.input("x", type, Dim.of(2), Dim.of(3));
        g.output(g.op("Identity", x), "y");
        return g.toModel(21);
    }

    /** y = Cast(x int32[4]) to {@code type}: a type ONNX Runtime can return but Java cannot feed. */
    static Model castFromInt(ElementType type) {
        GraphBuilder g = GraphBuilder.create("cast_to_" + type.onnxName());
        Value x = g.input("x", ElementType.INT32, Dim.of(4));
        g.output(g.node("Cast").inputs(x).attr("to", (long) type.onnxCode()).output(), "y");
        return g.toModel(21);
    }

    /** seq = SequenceConstruct(a, b) over float[2] inputs. */
    static Model sequence() {
        GraphBuilder g = GraphBuilder.create("sequence");
        Value a = g.input("a", ElementType.FLOAT, Dim.of(2));
        Value b = g.input("b", ElementType.FLOAT, Dim.of(2));
        g.output(g.op("SequenceConstruct", a, b), "seq");
        return g.toModel(21);
    }

    /** ZipMap of scores float[N, 2] with int64 labels 7 and 9: a sequence of maps. */
    static Model zipMap() {
        GraphBuilder g = GraphBuilder.create("zipmap");
        g.opset("ai.onnx.ml", 3);
        Value scores = g.input("scores", ElementType.FLOAT, Dim.of("n"), Dim.of(2));
        Value maps = g.node("ZipMap").domain("ai.onnx.ml").inputs(scores)
                .ints("classlabels_int64s", 7, 9).output();
        maps.setType(new ValueType.SequenceType(new ValueType.MapType(ElementType.INT64,
                ValueType.tensor(ElementType.FLOAT, dev.tern.ir.Shape.scalar()))));
        g.output(maps, "maps");
        return g.toModel(21);
    }

    /**
     * {@code layers} MatMuls of x[batch, 512] by the identity, so y = x: cheap for batch 1,
     * seconds for batch 512, and stoppable between layers.
     */
    static Model slowChain(int layers) {
        int n = 512;
        float[] eye = new float[n * n];
        for (int i = 0; i < n; i++) {
            eye[i * n + i] = 1;
        }
        GraphBuilder g = GraphBuilder.create("slow_chain");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(n));
        Value w = g.initializer(Tensor.ofFloats("eye", new long[] {n, n}, eye));
        Value h = x;
        for (int i = 0; i < layers; i++) {
            h = g.op("MatMul", h, w);
        }
        g.output(h, "y");
        return g.toModel(21);
    }

    static float[] randoms(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian() * 0.2f;
        }
        return values;
    }

    static ByteBuffer floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer;
    }
}
