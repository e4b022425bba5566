package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.onnx.OnnxExporter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RunTest {
    @RegisterExtension
    final OpenModels models = new OpenModels();

    private static float[] input(int batch, long seed) {
        return TestModels.randoms(new Random(seed), batch * TestModels.IN);
    }

    @Test
    void mlpMatchesTheJavaReference() {
        TestModels.Mlp mlp = TestModels.mlp();
        try (CompiledModel model = models.runtime().compile(mlp.model())) {
            for (int batch : new int[] {1, 7, 64}) {
                float[] x = input(batch, batch);
                Tensor y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {batch, TestModels.IN}, x))).get("y");
                assertArrayEquals(new long[] {batch, TestModels.OUT}, y.dims());
                assertArrayEquals(mlp.reference(x, batch), y.toFloatArray(), 1e-4f);
                assertTrue(y.data().isDirect(), "outputs are copied into direct buffers");
            }
        }
    }

    @Test
    void metadataKeepsSymbolicDimensions() {
        try (CompiledModel model = models.runtime().compile(TestModels.mlp().model())) {
            assertEquals("mlp", model.name());
            assertEquals(List.of(new IoSpec("x", ValueType.tensor(ElementType.FLOAT,
                    Shape.of(Dim.of("batch"), Dim.of(TestModels.IN))))), model.inputs());
            assertEquals(List.of(new IoSpec("y", ValueType.tensor(ElementType.FLOAT,
                    Shape.of(Dim.of("batch"), Dim.of(TestModels.OUT))))), model.outputs());
        }
    }

    @Test
    void weightsAreUsedInPlaceNotCopied() {
        // ONNX Runtime reads the initializer from the buffer we handed it: changing the buffer
        // after compiling changes the result, which a copy would not.
        int n = 256;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i + 1;
        }
        ByteBuffer bias = TestModels.floats(values);
        Tensor zeros = Tensor.zeros("x", ElementType.FLOAT, n);
        try (CompiledModel model = models.runtime().compile(TestModels.addBias(bias, n),
                SessionConfig.builder().optimizationLevel(OptimizationLevel.NONE).build())) {
            assertEquals(n * 4L, model.sharedWeightBytes());
            assertEquals(1f, model.run(Map.of("x", zeros)).get("y").toFloatArray()[0]);
            bias.putFloat(0, 1000f);
            assertEquals(1000f, model.run(Map.of("x", zeros)).get("y").toFloatArray()[0]);
        }
    }

    @Test
    void nativeOutputsFeedTheNextRunWithoutCopies() {
        try (CompiledModel model = models.runtime().compile(TestModels.twoInputs());
             NativeTensor a = NativeTensor.wrap(Tensor.ofFloats("a", new long[] {2, 3}, 1, 2, 3, 4, 5, 6));
             NativeTensor b = NativeTensor.wrap(Tensor.ofFloats("b", new long[] {2, 3}, 10, 20, 30, 40, 50, 60))) {
            try (Outputs first = model.runNative(Map.of("a", a, "b", b))) {
                NativeTensor sum = first.tensor("sum");
                assertTrue(sum.buffer().isDirect());
                assertEquals(11f, sum.buffer().getFloat(0));
                try (Outputs second = model.runNative(Map.of("a", sum, "b", sum))) {
                    assertArrayEquals(new float[] {22, 44, 66, 88, 110, 132},
                            second.tensor("sum").toTensor("sum").toFloatArray());
                }
                assertSame(sum, first.tensor("sum"));
            }
        }
    }

    @Test
    void closedOutputsRefuseReads() {
        try (CompiledModel model = models.runtime().compile(TestModels.twoInputs());
             NativeTensor a = NativeTensor.wrap(Tensor.ofFloats("a", new long[] {1, 3}, 1, 2, 3))) {
            Outputs outputs = model.runNative(Map.of("a", a, "b", a));
            NativeTensor sum = outputs.tensor("sum");
            outputs.close();
            outputs.close();
            assertThrows(ClosedException.class, sum::buffer);
            assertThrows(ClosedException.class, () -> outputs.tensor("sum"));
        }
    }

    @Test
    void pinnedOutputsAreWrittenInPlaceOnEveryRun() {
        TestModels.Mlp mlp = TestModels.mlp();
        try (CompiledModel model = models.runtime().compile(mlp.model());
             PinnedOutputs pinned = model.pinOutputs(Map.of("batch", 4L))) {
            Tensor view = pinned.outputs().get("y");
            for (long seed = 0; seed < 3; seed++) {
                float[] x = input(4, seed);
                Map<String, Tensor> out = pinned.run(Map.of("x", Tensor.ofFloats("x", new long[] {4, TestModels.IN}, x)));
                assertSame(view, out.get("y"), "the same view every run");
                assertArrayEquals(mlp.reference(x, 4), view.toFloatArray(), 1e-4f);
            }
        }
    }

    @Test
    void pinningNeedsEverySymbolicDimension() {
        try (CompiledModel model = models.runtime().compile(TestModels.mlp().model())) {
            ExecException e = assertThrows(ExecException.class, () -> model.pinOutputs(Map.of()));
            assertTrue(e.getMessage().contains("'y'") && e.getMessage().contains("'batch'"), e.getMessage());
        }
    }

    @Test
    void modelOpensStraightFromItsFile(@TempDir Path dir) throws Exception {
        TestModels.Mlp mlp = TestModels.mlp();
        Path file = dir.resolve("mlp.onnx");
        OnnxExporter.write(mlp.model(), file);
        float[] x = input(3, 9);
        try (CompiledModel model = models.runtime().open(file)) {
            assertEquals("mlp.onnx", model.name());
            assertEquals(0, model.sharedWeightBytes());
            Tensor y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {3, TestModels.IN}, x))).get("y");
            assertArrayEquals(mlp.reference(x, 3), y.toFloatArray(), 1e-4f);
        }
    }

    @Test
    void bareGraphGetsDefaultOpsets() {
        TestModels.Mlp mlp = TestModels.mlp();
        float[] x = input(1, 5);
        try (CompiledModel model = models.runtime().compile(mlp.model().graph(), SessionConfig.defaults())) {
            Tensor y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {1, TestModels.IN}, x))).get("y");
            assertArrayEquals(mlp.reference(x, 1), y.toFloatArray(), 1e-4f);
        }
    }

    @Test
    void bareGraphWithAnUnknownDomainIsRefused() {
        GraphBuilder g = GraphBuilder.create("custom");
        g.opset("org.example", 1);
        Value x = g.input("x", ElementType.FLOAT, Dim.of(1));
        g.output(g.node("Frobnicate").domain("org.example").inputs(x).output(), "y");
        Graph graph = g.toModel(21).graph();
        ExecException e = assertThrows(ExecException.class, () -> models.runtime().compile(graph));
        assertTrue(e.getMessage().contains("'org.example'") && e.getMessage().contains("Frobnicate"), e.getMessage());
    }

    @Test
    void closingTheRuntimeClosesItsModels() {
        Runtime runtime = Runtime.create();
        CompiledModel model = runtime.compile(TestModels.twoInputs());
        runtime.close();
        runtime.close();
        assertTrue(model.isClosed());
        assertThrows(ClosedException.class, () -> runtime.compile(TestModels.twoInputs()));
    }
}
