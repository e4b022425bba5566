package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.NpyFormat;
import dev.tern.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad inputs and options of {@code tern run}: the exit code, and one line naming what is wrong. */
class RunErrorsTest {
    @TempDir
    Path temp;
    private Path model;
    private Path ids;

    @BeforeEach
    void writeFiles() throws IOException {
        model = TestModels.write(TestModels.affine(), temp.resolve("affine.onnx"));
        ids = temp.resolve("ids.npy");
        NpyFormat.write(Tensor.ofLongs("ids", new long[] {2}, 1, 0), ids);
    }

    @Test
    void unknownInputNameIsBadUsageListingTheInputs() {
        CliRun run = CliRun.of("run", model.toString(), "--input", "idz=" + ids);

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("unknown input 'idz', expected one of [x, ids]"), run::toString);
    }

    @Test
    void wrongElementTypeIsBadUsageNamingTheInput() {
        CliRun run = CliRun.of("run", model.toString(), "--input", "x=" + ids);

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("input 'x' expects element type FLOAT, found INT64"), run::toString);
    }

    @Test
    void wrongShapeIsBadUsageNamingTheInput() throws IOException {
        Path x = temp.resolve("x.npy");
        NpyFormat.write(Tensor.ofFloats("x", new long[] {2, 4}, new float[8]), x);

        CliRun run = CliRun.of("run", model.toString(), "--input", "x=" + x);

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("input 'x' dimension 1 must be 3"), run::toString);
    }

    @Test
    void missingInputFileIsBadUsageNamingInputAndFile() {
        Path missing = temp.resolve("missing.npy");

        CliRun run = CliRun.of("run", model.toString(), "--input", "ids=" + missing);

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("tern: input 'ids': " + missing + ": no such file", run.err().strip());
    }

    @Test
    void malformedInputFileFailsNamingInputAndFile() throws IOException {
        Path corrupt = Files.writeString(temp.resolve("corrupt.npy"), "not numpy");

        CliRun run = CliRun.of("run", model.toString(), "--input", "ids=" + corrupt);

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("tern: input 'ids': " + corrupt + ": "), run::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"batch", "batch=", "batch=two", "batch=0", "=3"})
    void badDimIsBadUsage(String dim) {
        CliRun run = CliRun.of("run", model.toString(), "--dim", dim);

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("--dim"), run::toString);
    }

    @Test
    void dimTheModelDoesNotHaveIsBadUsageListingTheOnesItHas() {
        CliRun run = CliRun.of("run", model.toString(), "--dim", "batch_size=2");

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("tern: --dim batch_size: the model's inputs have no symbolic dimension 'batch_size';"
                + " they have [batch]", run.err().strip());
    }

    @Test
    void outputDirThatIsAFileFails() throws IOException {
        Path file = Files.writeString(temp.resolve("file"), "");

        CliRun run = CliRun.of("run", model.toString(), "--output-dir", file.toString());

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("tern: " + file), run::toString);
    }

    @Test
    void missingModelIsBadUsage() {
        Path missing = temp.resolve("missing.onnx");

        CliRun run = CliRun.of("run", missing.toString());

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("tern: " + missing + ": no such file", run.err().strip());
    }
}
