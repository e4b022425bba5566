package dev.tern.server;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import dev.tern.server.proto.ModelInferRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small models built with GraphBuilder, written into repository folders for the server tests. */
final class TestModels {
    /** y = x·W + B for {@link #affine()}. */
    static final float[][] W = {{1, 2}, {3, 4}, {5, 6}};
    static final float[] B = {0.5f, -1};

    private TestModels() {
    }

    /** Inputs {@code x: FP32[batch,3]} and {@code ids: INT64[batch]}; outputs {@code y = x·W + B} and {@code next = ids + 1}. */
    static Model affine() {
        GraphBuilder g = GraphBuilder.create("affine");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        Value ids = g.input("ids", ElementType.INT64, Dim.of("batch"));
        float[] w = new float[6];
        for (int row = 0; row < 3; row++) {
            System.arraycopy(W[row], 0, w, row * 2, 2);
        }
        Value product = g.op("MatMul", x, g.initializer(Tensor.ofFloats("w", new long[] {3, 2}, w)));
        g.output(g.op("Add", product, g.initializer(Tensor.ofFloats("b", new long[] {2}, B))), "y");
        g.output(g.op("Add", ids, g.initializer(Tensor.ofLongs("one", new long[] {}, 1))), "next");
        return g.toModel(21);
    }

    /** {@code copy = Identity(words)} over {@code words: BYTES[n]}. */
    static Model strings() {
        GraphBuilder g = GraphBuilder.create("strings");
        Value words = g.input("words", ElementType.STRING, Dim.of("n"));
        g.output(g.op("Identity", words), "copy");
        return g.toModel(21);
    }

    /** The side of the square matrices {@link #slow} multiplies. */
    static final int SLOW_SIZE = 1024;

    /**
     * {@code y = x·I·I·...} over {@code x: FP32[batch, SLOW_SIZE]} with {@code matmuls} identity
     * matrices of {@link #SLOW_SIZE}: with {@code SLOW_SIZE} rows, about 2 GFLOP each, slow
     * enough on one thread to still be running when a test acts on a request in flight. The
     * output equals the input.
     */
    static Model slow(int matmuls) {
        GraphBuilder g = GraphBuilder.create("slow");
        addSlowPath(g, matmuls);
        return g.toModel(21);
    }

    /**
     * {@link #slow} with a second input {@code tag: FP32[batch, width]} copied to output {@code tag_copy}:
     * requests whose tags differ in width do not batch together, so each runs alone.
     */
    static Model slowTagged(int matmuls) {
        GraphBuilder g = GraphBuilder.create("slow");
        addSlowPath(g, matmuls);
        g.output(g.op("Identity", g.input("tag", ElementType.FLOAT, Dim.of("batch"), Dim.of("width"))), "tag_copy");
        return g.toModel(21);
    }

    /** Input {@code x}, {@code matmuls} identity MatMuls and output {@code y}, as {@link #slow} describes. */
    private static void addSlowPath(GraphBuilder g, int matmuls) {
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(SLOW_SIZE));
        float[] identity = new float[SLOW_SIZE * SLOW_SIZE];
        for (int i = 0; i < SLOW_SIZE; i++) {
            identity[i * SLOW_SIZE + i] = 1;
        }
        Value eye = g.initializer(Tensor.ofFloats("eye", new long[] {SLOW_SIZE, SLOW_SIZE}, identity));
        Value y = x;
        for (int i = 0; i < matmuls; i++) {
            y = g.op("MatMul", y, eye);
        }
        g.output(g.op("Identity", y), "y");
    }

    /** A request of {@code rows} rows for a {@link #slow} model named "slow", whose element 5 is 2.5. */
    static ModelInferRequest.Builder slowRequest(int rows) {
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("slow");
        request.addInputsBuilder().setName("x").setDatatype("FP32").addShape(rows).addShape(SLOW_SIZE);
        float[] x = new float[rows * SLOW_SIZE];
        x[5] = 2.5f;
        request.addRawInputContents(EndToEndTest.rawFloats(x));
        return request;
    }

    /** Writes {@code model} as {@code <repo>/<name>/<version>/model.onnx}. */
    static Path write(Path repo, String name, int version, Model model) throws IOException {
        Path folder = Files.createDirectories(repo.resolve(name).resolve(Integer.toString(version)));
        OnnxExporter.write(model, folder.resolve("model.onnx"));
        return folder;
    }

    /**
     * The standard test repository: affine versions 1 and 2, strings, and "broken" (a file
     * that is no ONNX model).
     */
    static Path standardRepository(Path repo) throws IOException {
        write(repo, "affine", 1, affine());
        write(repo, "affine", 2, affine());
        write(repo, "strings", 1, strings());
        Path broken = Files.createDirectories(repo.resolve("broken").resolve("1"));
        Files.writeString(broken.resolve("model.onnx"), "this is not an onnx model\n");
        return repo;
    }

    /** y = x·W + B computed in Java, for row-major {@code x} of shape [rows, 3]. */
    static float[] affineExpected(float[] x) {
        int rows = x.length / 3;
        float[] y = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 2; c++) {
                float sum = B[c];
                for (int k = 0; k < 3; k++) {
                    sum += x[r * 3 + k] * W[k][c];
                }
                y[r * 2 + c] = sum;
            }
        }
        return y;
    }
}
