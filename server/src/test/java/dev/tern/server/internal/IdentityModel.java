package dev.tern.server.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import dev.tern.server.internal.repository.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code y = Identity(x)} over {@code x: FP32[n]}, compiled for the internal tests. */
public final class IdentityModel {
    private IdentityModel() {
    }

    /** {@code count} instances of the model, written to {@code folder}; the caller closes them. */
    public static List<CompiledModel> instances(Runtime runtime, Path folder, int count) throws IOException {
        Path file = write(folder.resolve("model.onnx"));
        List<CompiledModel> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add(runtime.open(file, ModelConfig.defaults().sessionConfig()));
        }
        return instances;
    }

    /** Writes the model to {@code file}, and returns it. */
    public static Path write(Path file) throws IOException {
        GraphBuilder g = GraphBuilder.create("identity");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("n"));
        g.output(g.op("Identity", x), "y");
        OnnxExporter.write(g.toModel(21), file);
        return file;
    }
}
