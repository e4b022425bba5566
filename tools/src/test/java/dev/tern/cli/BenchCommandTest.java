package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BenchCommandTest {
    @TempDir
    Path temp;

    @Test
    void jsonHasOrderedPercentilesAndConsistentThroughput() throws IOException {
        Path model = TestModels.write(TestModels.affine(), temp.resolve("affine.onnx"));

        CliRun run = CliRun.of("bench", model.toString(), "--batch", "4", "--duration", "1", "--warmup", "0.2",
                "--concurrency", "2", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> json = benchJson(run);
        assertEquals("pinned outputs", json.get("path"));
        assertEquals(2L, json.get("concurrency"));
        assertEquals(Map.of("x", "float[4,3]", "ids", "int64[4]"), json.get("inputs"));
        assertEquals(4L, json.get("samplesPerInference"));
        double inferences = (Double) json.get("inferencesPerSecond");
        assertEquals(4 * inferences, (Double) json.get("samplesPerSecond"), 1e-6 * inferences);
        double elapsed = (Double) json.get("elapsedSeconds");
        assertTrue(elapsed >= 1, "measured at least --duration: " + elapsed);
        assertEquals((Long) json.get("count") / elapsed, inferences, 1e-6 * inferences);
    }

    @Test
    void minilmBenchmarksWithBatchAndDim() {
        CliRun run = CliRun.of("bench", TestModels.minilmFp32().toString(), "--batch", "2",
                "--dim", "sequence_length=8", "--duration", "1", "--warmup", "0.2", "--json");

        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> json = benchJson(run);
        assertEquals("int64[2,8]", ((Map<?, ?>) json.get("inputs")).get("input_ids"));
        assertEquals(2L, json.get("samplesPerInference"));
    }

    @Test
    void outputsThatCannotBePinnedRunThroughRunNative() throws IOException {
        Path model = TestModels.write(TestModels.strings(), temp.resolve("strings.onnx"));

        CliRun run = CliRun.of("bench", model.toString(), "--dim", "n=3", "--duration", "0.3", "--warmup", "0");

        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertEquals(6, lines.size(), run::toString);
        assertTrue(lines.get(2).startsWith("setup        runNative, concurrency 1"), run::toString);
        assertTrue(lines.get(4).matches("latency ms   p50 [0-9.]+  p90 [0-9.]+  p99 [0-9.]+  max [0-9.]+  mean [0-9.]+"),
                run::toString);
        assertTrue(lines.get(5).matches("throughput   [0-9.]+ inferences/s, [0-9.]+ samples/s"), run::toString);
        assertEquals("", run.err(), "no progress line when not on a terminal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--duration 0", "--duration -1", "--warmup -0.5", "--concurrency 0", "--batch 0",
        "--threads -1", "--duration soon"})
    void badOptionsAreBadUsage(String option) throws IOException {
        Path model = TestModels.write(TestModels.affine(), temp.resolve("affine.onnx"));
        String[] parts = option.split(" ");

        CliRun run = CliRun.of("bench", model.toString(), parts[0], parts[1]);

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains(parts[0]), run::toString);
    }

    @Test
    void batchOnAModelWithAFixedFirstDimensionIsBadUsage() throws IOException {
        GraphBuilder g = GraphBuilder.create("fixed");
        g.output(g.op("Neg", g.input("x", ElementType.FLOAT, Dim.of(2))), "y");
        Path model = TestModels.write(g.toModel(21), temp.resolve("fixed.onnx"));

        CliRun run = CliRun.of("bench", model.toString(), "--batch", "2");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("tern: --batch: no input's first dimension is symbolic"), run::toString);
    }

    @Test
    void batchAndDimSettingTheSameDimensionDifferentlyIsBadUsage() throws IOException {
        Path strings = TestModels.write(TestModels.strings(), temp.resolve("strings.onnx"));

        CliRun run = CliRun.of("bench", strings.toString(), "--batch", "2", "--dim", "n=3");

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("tern: --batch 2 sets 'n', the first dimension of input 'words', but --dim n=3 sets it too",
                run.err().strip());
    }

    private static Map<?, ?> benchJson(CliRun run) {
        assertEquals(1, run.outLines().size(), run::toString);
        Map<?, ?> json = (Map<?, ?>) MiniJson.parse(run.out());
        Map<?, ?> latency = (Map<?, ?>) json.get("latencyMs");
        double p50 = (Double) latency.get("p50");
        double p90 = (Double) latency.get("p90");
        double p99 = (Double) latency.get("p99");
        double max = (Double) latency.get("max");
        assertTrue(0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= max, "ordered percentiles: " + latency);
        assertTrue((Long) json.get("count") > 0, run::toString);
        return json;
    }
}
