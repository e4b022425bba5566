package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SessionConfigTest {
    @RegisterExtension
    final OpenModels models = new OpenModels();

    @Test
    void everyOptionIsAcceptedAndResultsStayRight() {
        TestModels.Mlp mlp = TestModels.mlp();
        SessionConfig config = SessionConfig.builder()
                .intraOpThreads(2)
                .intraOpSpinning(false)
                .interOpThreads(2)
                .optimizationLevel(OptimizationLevel.BASIC)
                .executionMode(ExecutionMode.PARALLEL)
                .memoryArena(false)
                .deterministicCompute(true)
                .build();
        float[] x = TestModels.randoms(new Random(3), 2 * TestModels.IN);
        try (CompiledModel model = models.runtime().compile(mlp.model(), config)) {
            Tensor y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {2, TestModels.IN}, x))).get("y");
            assertArrayEquals(mlp.reference(x, 2), y.toFloatArray(), 1e-4f);
        }
    }

    @Test
    void freeDimensionIsFixedInTheSignatureAndEnforced() {
        SessionConfig config = SessionConfig.builder().freeDimension("batch", 2).build();
        try (CompiledModel model = models.runtime().compile(TestModels.twoInputs(), config)) {
            assertEquals(ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of(2), Dim.of(3))), model.inputs().get(0).type());
            Tensor one = Tensor.ofFloats("a", new long[] {1, 3}, 1, 2, 3);
            String message = assertThrows(InvalidInputException.class,
                    () -> model.run(Map.of("a", one, "b", one))).getMessage();
            assertTrue(message.contains("dimension 0 must be 2"), message);
        }
    }

    @Test
    void profilingWritesAFile(@TempDir Path dir) throws Exception {
        SessionConfig config = SessionConfig.builder().profilingFile(dir.resolve("profile")).build();
        Tensor a = Tensor.ofFloats("a", new long[] {1, 3}, 1, 2, 3);
        try (CompiledModel model = models.runtime().compile(TestModels.twoInputs(), config)) {
            model.run(Map.of("a", a, "b", a));
            Path profile = model.endProfiling().orElseThrow();
            assertTrue(Files.size(profile) > 0, profile + " is empty");
            assertTrue(Files.readString(profile).contains("\"name\""), "a Chrome-trace JSON profile");
        }
    }

    @Test
    void withoutProfilingThereIsNoProfile() {
        try (CompiledModel model = models.runtime().compile(TestModels.twoInputs())) {
            assertTrue(model.endProfiling().isEmpty());
        }
    }

    @Test
    void builderRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> SessionConfig.builder().intraOpThreads(-1));
        assertThrows(IllegalArgumentException.class, () -> SessionConfig.builder().freeDimension("batch", 0));
        assertThrows(IllegalArgumentException.class, () -> SessionConfig.builder().freeDimension("", 1));
        assertThrows(IllegalArgumentException.class, () -> SessionConfig.builder().cuda(-1));
    }
}
