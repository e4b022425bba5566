package dev.tern.cli.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model {@code tern serve} serves when given no repository: a small MLP built in code,
 * so a fresh clone needs no download. {@code y = relu(x·W1 + b1)·W2 + b2} with
 * {@code x: FP32[batch,4]} and {@code y: FP32[batch,3]}, fixed weights.
 */
public final class ExampleModel {
    /** The name clients use: {@code /v2/models/mlp}. */
    public static final String NAME = "mlp";
    /** A request for the example, for the printed curl line and the README. */
    public static final String CURL_BODY = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\","
            + "\"data\":[1,2,3,4]}]}";

    private static final int IN = 4;
    private static final int HIDDEN = 8;
    private static final int OUT = 3;

    private ExampleModel() {
    }

    /** Writes a repository holding the example as {@code <folder>/mlp/1/model.onnx}; returns the folder. */
    public static Path writeRepository(Path folder) throws IOException {
        Path version = Files.createDirectories(folder.resolve(NAME).resolve("1"));
        OnnxExporter.write(build(), version.resolve("model.onnx"));
        return folder;
    }

    public static Model build() {
        GraphBuilder g = GraphBuilder.create(NAME);
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(IN));
        Value w1 = g.initializer(Tensor.ofFloats("w1", new long[] {IN, HIDDEN}, weights(IN, HIDDEN, 0.1f)));
        Value b1 = g.initializer(Tensor.ofFloats("b1", new long[] {HIDDEN}, weights(1, HIDDEN, 0.05f)));
        Value w2 = g.initializer(Tensor.ofFloats("w2", new long[] {HIDDEN, OUT}, weights(HIDDEN, OUT, -0.07f)));
        Value b2 = g.initializer(Tensor.ofFloats("b2", new long[] {OUT}, weights(1, OUT, 0.2f)));
        Value hidden = g.op("Relu", g.op("Add", g.op("MatMul", x, w1), b1));
        g.output(g.op("Add", g.op("MatMul", hidden, w2), b2), "y");
        return g.toModel(21);
    }

    /** Deterministic weights of mixed sign: {@code scale·((row·7 + column·3) mod 5 − 2)}. */
    private static float[] weights(int rows, int columns, float scale) {
        float[] values = new float[rows * columns];
        for (int row = 0; row < rows; row++) {
            for (int column = 0; column < columns; column++) {
                values[row * columns + column] = scale * ((row * 7 + column * 3) % 5 - 2);
            }
        }
        return values;
    }
}
