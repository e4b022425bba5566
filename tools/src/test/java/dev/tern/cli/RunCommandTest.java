package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.ElementType;
import dev.tern.ir.NpyFormat;
import dev.tern.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    @TempDir
    Path temp;
    private Path model;

    @BeforeEach
    void writeModel() throws IOException {
        model = TestModels.write(TestModels.affine(), temp.resolve("affine.onnx"));
    }

    @Test
    void inputsFromFilesGiveOutputsComputedByHand() throws IOException {
        float[] x = {0.25f, 1, -2, 3, 0.5f, 0.75f};
        NpyFormat.write(Tensor.ofFloats("x", new long[] {2, 3}, x), temp.resolve("x.npy"));
        NpyFormat.write(Tensor.ofLongs("ids", new long[] {2}, 7, -1), temp.resolve("ids.npy"));
        Path out = temp.resolve("out");

        CliRun run = CliRun.of("run", model.toString(), "--input", "x=" + temp.resolve("x.npy"),
                "--input", "ids=" + temp.resolve("ids.npy"), "--output-dir", out.toString());

        assertEquals(0, run.exitCode(), run::toString);
        Tensor y = NpyFormat.read(out.resolve("y.npy"));
        assertArrayEquals(new long[] {2, 2}, y.dims());
        assertArrayEquals(affine(x, 2), y.toFloatArray(), 1e-6f);
        Tensor positive = NpyFormat.read(out.resolve("is_positive.npy"));
        assertEquals(ElementType.BOOL, positive.elementType());
        assertArrayEquals(new byte[] {0, 1, 0, 1, 0, 1}, bytes(positive));
        assertArrayEquals(new long[] {8, 0}, NpyFormat.read(out.resolve("next.npy")).toLongArray());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(3, files.count(), "one file per output, nothing else");
        }
        List<String> lines = run.outLines();
        assertEquals(3, lines.size(), run::toString);
        assertTrue(lines.get(0).matches("y +float\\[2,2] +min -8\\.50000 +max 11\\.5000 +mean .*y\\.npy"), run::toString);
        assertTrue(lines.get(1).matches("is/positive +bool\\[2,3] +true 3 of 6 .*is_positive\\.npy"), run::toString);
        assertTrue(lines.get(2).startsWith("next "), run::toString);
    }

    @Test
    void randomInputsTakeDimensionsFromDimAndTheSeed() throws IOException {
        Path out = temp.resolve("out");

        CliRun run = CliRun.of("run", model.toString(), "--dim", "batch=4", "--json", "--output-dir", out.toString());
        CliRun again = CliRun.of("run", model.toString(), "--dim", "batch=4", "--json");
        CliRun sameSeed = CliRun.of("run", model.toString(), "--dim", "batch=4", "--json", "--seed", "0");
        CliRun otherSeed = CliRun.of("run", model.toString(), "--dim", "batch=4", "--json", "--seed", "7");

        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> json = (Map<?, ?>) MiniJson.parse(run.out());
        assertEquals(Map.of("batch", Map.of("size", 4L, "defaulted", false)), json.get("dimensions"));
        List<?> inputs = (List<?>) json.get("inputs");
        assertEquals("random", ((Map<?, ?>) inputs.get(0)).get("source"));
        Map<?, ?> y = (Map<?, ?>) ((List<?>) json.get("outputs")).get(0);
        assertEquals(List.of(4L, 2L), y.get("shape"));
        float[] written = NpyFormat.read(out.resolve("y.npy")).toFloatArray();
        assertEquals((double) min(written), (Double) y.get("min"), 1e-6);
        assertEquals(out.resolve("y.npy").toString(), y.get("file"));
        // x is in [0, 1) and ids in {0, 1}, so y and next lie in known ranges.
        for (float value : written) {
            assertTrue(value >= -1 && value < 9 + 0.5f, "y = x·W + B from x in [0, 1): " + value);
        }
        for (long next : NpyFormat.read(out.resolve("next.npy")).toLongArray()) {
            assertTrue(next == 1 || next == 2, "ids in {0, 1}: " + next);
        }
        assertEquals(again.out(), sameSeed.out(), "the default seed is 0, and a seed gives the same values");
        assertNotEquals(again.out(), otherSeed.out());
    }

    @Test
    void unsetSymbolicDimensionsDefaultToOneAndTheSummarySaysSo() {
        CliRun run = CliRun.of("run", model.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("dimensions  batch=1 (default); set them with --dim NAME=SIZE", run.outLines().get(0));
        assertTrue(run.outLines().get(1).matches("y +float\\[1,2] +min .*"), run::toString);
        assertFalse(run.out().contains("->"), "nothing written without --output-dir");
    }

    @Test
    void stringOutputsAreSummarizedButNotWritten() throws IOException {
        Path strings = TestModels.write(TestModels.strings(), temp.resolve("strings.onnx"));
        Path out = temp.resolve("out");

        CliRun run = CliRun.of("run", strings.toString(), "--dim", "n=5", "--output-dir", out.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.outLines().get(1).matches("copy +string\\[5] +5 elements +\\(not written: .*string.*\\)"),
                run::toString);
        assertFalse(Files.exists(out.resolve("copy.npy")));
    }

    @Test
    void minilmRunsOnRandomInputsWithDim() throws IOException {
        Path out = temp.resolve("out");

        CliRun run = CliRun.of("run", TestModels.minilmFp32().toString(), "--dim", "batch_size=2",
                "--dim", "sequence_length=8", "--output-dir", out.toString(), "--json");

        assertEquals(0, run.exitCode(), run::toString);
        Tensor hidden = NpyFormat.read(out.resolve("last_hidden_state.npy"));
        assertArrayEquals(new long[] {2, 8, 384}, hidden.dims());
        float[] values = hidden.toFloatArray();
        double sum = 0;
        for (float value : values) {
            assertTrue(Float.isFinite(value));
            sum += value;
        }
        Map<?, ?> output = (Map<?, ?>) ((List<?>) ((Map<?, ?>) MiniJson.parse(run.out())).get("outputs")).get(0);
        assertEquals(sum / values.length, (Double) output.get("mean"), 1e-6);
        assertEquals(0L, output.get("nanCount"));
    }

    @Test
    void minilmTakesInputsFromFiles() throws IOException {
        long[] dims = {1, 4};
        NpyFormat.write(Tensor.ofLongs("ids", dims, 101, 7592, 2088, 102), temp.resolve("ids.npy"));
        NpyFormat.write(Tensor.ofLongs("mask", dims, 1, 1, 1, 1), temp.resolve("mask.npy"));
        NpyFormat.write(Tensor.ofLongs("types", dims, 0, 0, 0, 0), temp.resolve("types.npy"));

        CliRun run = CliRun.of("run", TestModels.minilmFp32().toString(),
                "--input", "input_ids=" + temp.resolve("ids.npy"),
                "--input", "attention_mask=" + temp.resolve("mask.npy"),
                "--input", "token_type_ids=" + temp.resolve("types.npy"));

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(1, run.outLines().size(), "no dimensions line when nothing is generated: " + run);
        assertTrue(run.out().startsWith("last_hidden_state  float[1,4,384]  min "), run::toString);
    }

    private static float[] affine(float[] x, int batch) {
        float[] y = new float[batch * 2];
        for (int row = 0; row < batch; row++) {
            for (int col = 0; col < 2; col++) {
                float sum = TestModels.AFFINE_B[col];
                for (int k = 0; k < 3; k++) {
                    sum += x[row * 3 + k] * TestModels.AFFINE_W[k][col];
                }
                y[row * 2 + col] = sum;
            }
        }
        return y;
    }

    private static byte[] bytes(Tensor tensor) {
        byte[] bytes = new byte[(int) tensor.byteSize()];
        tensor.data().get(bytes);
        return bytes;
    }

    private static float min(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        for (float value : values) {
            min = Math.min(min, value);
        }
        return min;
    }
}
