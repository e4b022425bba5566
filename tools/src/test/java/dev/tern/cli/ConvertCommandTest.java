package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    @TempDir
    Path temp;

    @Test
    void convertedModelReportsTheSameAsTheOriginal() throws IOException {
        Path original = TestModels.writeSmall(temp.resolve("small.onnx"));
        Path converted = temp.resolve("out/nested/small.onnx");

        CliRun run = CliRun.of("convert", original.toString(), converted.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.err());
        assertTrue(Files.isRegularFile(converted));
        assertEquals(inspectWithoutFile(original), inspectWithoutFile(converted));
    }

    @Test
    void externalDataMovesMiniLmWeightsOutOfTheModel() throws IOException {
        Path original = TestModels.minilmFp32();
        Path converted = temp.resolve("minilm.onnx");

        CliRun run = CliRun.of("convert", "--external-data", "--size-threshold", "1024",
                original.toString(), converted.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(Files.size(converted) < Files.size(original) / 10,
                "weights left the model file: " + Files.size(converted) + " bytes");
        Map<?, ?> before = inspectWithoutFile(original);
        Map<?, ?> after = inspectWithoutFile(converted);
        List<?> externalFiles = (List<?>) after.get("externalDataFiles");
        assertFalse(externalFiles.isEmpty(), after::toString);
        for (Object file : externalFiles) {
            assertTrue(Files.isRegularFile(temp.resolve((String) file)), "written: " + file);
        }
        assertEquals(before.get("parameterCount"), after.get("parameterCount"));
        assertEquals(before.get("opTypes"), after.get("opTypes"));
        assertEquals(before.get("inputs"), after.get("inputs"));
    }

    @Test
    void recursiveConvertsEveryModelAndReportsTheCorruptOne() throws IOException {
        Path in = temp.resolve("in");
        Path out = temp.resolve("out");
        Files.createDirectories(in.resolve("a"));
        Files.createDirectories(in.resolve("b/c"));
        Files.createDirectories(in.resolve("broken"));
        TestModels.writeSmall(in.resolve("a/one.onnx"));
        TestModels.writeSmall(in.resolve("b/c/two.onnx"));
        TestModels.writeCorrupt(in.resolve("broken/bad.onnx"));
        Files.writeString(in.resolve("a/notes.txt"), "not a model");

        CliRun run = CliRun.of("convert", "--recursive", in.toString(), out.toString());

        assertEquals(1, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertEquals(4, lines.size(), run::toString);
        assertEquals(Path.of("a/one.onnx") + ": ok", lines.get(0));
        assertEquals(Path.of("b/c/two.onnx") + ": ok", lines.get(1));
        assertTrue(lines.get(2).startsWith(Path.of("broken/bad.onnx") + ": FAILED: "), lines.get(2));
        assertTrue(lines.get(2).length() > (Path.of("broken/bad.onnx") + ": FAILED: ").length(), "a reason is given");
        assertEquals("2 of 3 models converted, 1 failed", lines.get(3));
        assertTrue(Files.isRegularFile(out.resolve("a/one.onnx")));
        assertTrue(Files.isRegularFile(out.resolve("b/c/two.onnx")));
        assertFalse(Files.exists(out.resolve("broken")), "no folder for a model that failed");
        assertFalse(Files.exists(out.resolve("a/notes.txt")));
        assertEquals(inspectWithoutFile(in.resolve("a/one.onnx")), inspectWithoutFile(out.resolve("a/one.onnx")));
    }

    @Test
    void recursiveSucceedsWhenEveryModelConverts() throws IOException {
        Path in = Files.createDirectories(temp.resolve("in"));
        TestModels.writeSmall(in.resolve("one.onnx"));

        CliRun run = CliRun.of("convert", "--recursive", in.toString(), temp.resolve("out").toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("one.onnx: ok", "1 of 1 models converted, 0 failed"), run.outLines());
    }

    @Test
    void recursiveSkipsAnOutputFolderInsideTheInput() throws IOException {
        Path in = Files.createDirectories(temp.resolve("in"));
        TestModels.writeSmall(in.resolve("one.onnx"));
        String out = in.resolve("converted").toString();

        CliRun first = CliRun.of("convert", "--recursive", in.toString(), out);
        CliRun second = CliRun.of("convert", "--recursive", in.toString(), out);

        assertEquals(0, first.exitCode(), first::toString);
        assertEquals(List.of("one.onnx: ok", "1 of 1 models converted, 0 failed"), second.outLines());
    }

    @Test
    void refusesToOverwriteItsInput() throws IOException {
        Path model = TestModels.writeSmall(temp.resolve("small.onnx"));
        byte[] before = Files.readAllBytes(model);

        CliRun run = CliRun.of("convert", model.toString(), model.toString());

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("tern: " + model + ": is the input itself; write to another path"), run.errLines());
        assertArrayEquals(before, Files.readAllBytes(model), "the input is untouched");
    }

    /** The {@code inspect --json} object, minus the file name, which differs between copies. */
    private static Map<?, ?> inspectWithoutFile(Path model) {
        CliRun run = CliRun.of("inspect", "--json", model.toString());
        assertEquals(0, run.exitCode(), run::toString);
        Map<?, ?> json = new HashMap<>((Map<?, ?>) MiniJson.parse(run.out()));
        json.remove("file");
        return json;
    }
}
