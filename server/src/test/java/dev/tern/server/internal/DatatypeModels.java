package dev.tern.server.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import dev.tern.server.client.Datatypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A model repository that takes requests of every protocol datatype: for each, a model named
 * after it in lower case ({@code fp32}, {@code bytes}, ...) whose output {@code y} is
 * {@code Identity(x)} over {@code x: <datatype>[n]}; and {@link #AFFINE}, with two inputs of
 * fixed and batched dimensions, {@code max_batch_size} 4. Every model runs on one thread.
 */
final class DatatypeModels {
    /** {@code y = x·W + B}, {@code next = ids + 1} over {@code x: FP32[batch, 3]} and {@code ids: INT64[batch]}. */
    static final String AFFINE = "affine";
    static final String INPUT = "x";
    /** Every datatype the protocol defines. */
    static final List<String> DATATYPES = List.of("BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16",
            "INT32", "INT64", "FP16", "BF16", "FP32", "FP64", "BYTES");

    private DatatypeModels() {
    }

    /** Writes the repository into the empty folder {@code root}. */
    static void writeRepository(Path root) throws IOException {
        for (String datatype : DATATYPES) {
            GraphBuilder g = GraphBuilder.create(datatype);
            Value x = g.input(INPUT, Datatypes.elementType(datatype).orElseThrow(), Dim.of("n"));
            g.output(g.op("Identity", x), "y");
            write(root, modelName(datatype), g, "{\"intra_op_threads\": 1}");
        }
        write(root, AFFINE, affine(), "{\"intra_op_threads\": 1, \"max_batch_size\": 4}");
    }

    /**
     * Whether the model for {@code datatype} runs. ONNX Runtime's Java API cannot create UINT16,
     * UINT32 or UINT64 tensors, so their models decode a request and then refuse it
     * (INVALID_ARGUMENT, naming the limitation).
     */
    static boolean runs(String datatype) {
        return !List.of("UINT16", "UINT32", "UINT64").contains(datatype);
    }

    /** The model taking {@code datatype}. */
    static String modelName(String datatype) {
        return datatype.toLowerCase(Locale.ROOT);
    }

    private static GraphBuilder affine() {
        GraphBuilder g = GraphBuilder.create(AFFINE);
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(3));
        Value ids = g.input("ids", ElementType.INT64, Dim.of("batch"));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {3, 2}, 1, 2, 3, 4, 5, 6));
        g.output(g.op("Add", g.op("MatMul", x, w), g.initializer(Tensor.ofFloats("b", new long[] {2}, 0.5f, -1))), "y");
        g.output(g.op("Add", ids, g.initializer(Tensor.ofLongs("one", new long[] {}, 1))), "next");
        return g;
    }

    private static void write(Path root, String name, GraphBuilder model, String config) throws IOException {
        Path folder = Files.createDirectories(root.resolve(name).resolve("1"));
        OnnxExporter.write(model.toModel(21), folder.resolve("model.onnx"));
        Files.writeString(root.resolve(name).resolve("config.json"), config);
    }
}
