package dev.tern.exec.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Run by {@link OrtLogLevelTest} in a child JVM whose SLF4J levels the test sets: opens, from
 * {@code args[0]}, a model with an initializer no node reads, which ONNX Runtime removes with a
 * warning in its own log.
 */
final class OrtLogChild {
    /** The start of the warning ONNX Runtime logs for the unused initializer. */
    static final String WARNING = "Removing initializer 'unused'";

    private OrtLogChild() {
    }

    public static void main(String[] args) throws IOException {
        GraphBuilder g = GraphBuilder.create("unused-initializer");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(2));
        g.initializer(Tensor.ofFloats("unused", new long[] {2}, 1f, 2f));
        g.output(g.op("Relu", x), "y");
        Path file = Path.of(args[0]);
        OnnxExporter.write(g.toModel(21), file);
        try (Runtime runtime = Runtime.create();
             CompiledModel model = runtime.open(file)) {
            System.out.println("opened " + model.inputs().size() + " input");
        }
    }
}
