package dev.tern.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version's instances: taken in turn, all closed with the version. */
class ModelVersionTest {
    @TempDir
    Path folder;

    @Test
    void requestsTakeTheInstancesInTurnAndRetiringClosesThemAll() throws Exception {
        GraphBuilder g = GraphBuilder.create("identity");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("n"));
        g.output(g.op("Identity", x), "y");
        Path file = folder.resolve("model.onnx");
        OnnxExporter.write(g.toModel(21), file);
        try (Runtime runtime = Runtime.create()) {
            List<CompiledModel> instances = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                instances.add(runtime.open(file, ModelConfig.defaults().sessionConfig()));
            }
            ModelVersion version = new ModelVersion("identity", 1, instances, ModelConfig.defaults(),
                    new ServerMetrics());
            for (int round = 0; round < 2; round++) {
                for (CompiledModel instance : instances) {
                    assertSame(instance, version.nextInstance());
                }
            }
            version.retire();
            assertTrue(version.isClosed());
            assertEquals(0, runtime.openModels());
        }
    }
}
