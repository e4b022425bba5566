package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exit codes and error lines: 2 for bad usage, 1 for bad models, always one line on stderr. */
class ErrorHandlingTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "frobnicate",
        "inspect",
        "inspect --no-such-option model.onnx",
        "convert only-one-argument.onnx",
        "convert a.onnx b.onnx --size-threshold 100",
        "convert a.onnx b.onnx --external-data --size-threshold -1",
        "convert a.onnx b.onnx --external-data --size-threshold lots",
    })
    void badUsageExitsWithTwoAndOneLine(String commandLine) {
        CliRun run = CliRun.of(commandLine.isEmpty() ? new String[0] : commandLine.split(" "));

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertOneErrorLine(run);
        assertTrue(run.err().contains("--help"), "points to the help: " + run.err());
    }

    @Test
    void missingModelIsBadUsage() {
        Path missing = temp.resolve("missing.onnx");

        CliRun run = CliRun.of("inspect", missing.toString());

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("tern: " + missing + ": no such file"), run.errLines());
    }

    @Test
    void folderGivenAsModelIsBadUsage() {
        CliRun run = CliRun.of("convert", temp.toString(), temp.resolve("out.onnx").toString());

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("tern: " + temp + ": not a regular file"), run.errLines());
    }

    @Test
    void missingFolderForRecursiveIsBadUsage() {
        Path missing = temp.resolve("nowhere");

        CliRun run = CliRun.of("convert", "--recursive", missing.toString(), temp.resolve("out").toString());

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("tern: " + missing + ": no such directory"), run.errLines());
    }

    @ParameterizedTest
    @ValueSource(strings = {"inspect", "convert"})
    void corruptModelExitsWithOneAndOneLineNamingTheFile(String command) throws IOException {
        Path corrupt = TestModels.writeCorrupt(temp.resolve("corrupt.onnx"));
        List<String> args = new ArrayList<>(List.of(command, corrupt.toString()));
        if (command.equals("convert")) {
            args.add(temp.resolve("out.onnx").toString());
        }

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertOneErrorLine(run);
        assertTrue(run.err().startsWith("tern: " + corrupt + ": "), run::toString);
        assertTrue(run.err().strip().length() > ("tern: " + corrupt + ":").length(), "a reason is given");
        assertFalse(Files.exists(temp.resolve("out.onnx")), "nothing written");
    }

    @Test
    void truncatedModelExitsWithOne() throws IOException {
        Path whole = TestModels.writeSmall(temp.resolve("whole.onnx"));
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = Files.write(temp.resolve("truncated.onnx"), Arrays.copyOf(bytes, bytes.length / 2));

        CliRun run = CliRun.of("inspect", truncated.toString());

        assertEquals(1, run.exitCode(), run::toString);
        assertOneErrorLine(run);
        assertTrue(run.err().startsWith("tern: " + truncated + ": "), run::toString);
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path corrupt = TestModels.writeCorrupt(temp.resolve("corrupt.onnx"));

        CliRun run = CliRun.of("inspect", "--verbose", corrupt.toString());

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.errLines().get(0).startsWith("tern: " + corrupt + ": "), run::toString);
        assertTrue(run.errLines().stream().anyMatch(line -> line.startsWith("\tat ")), run::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "inspect", "convert"})
    void everyCommandHasHelp(String command) {
        String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};

        CliRun run = CliRun.of(args);

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("Usage: tern" + (command.isEmpty() ? "" : " " + command)), run::toString);
        assertEquals("", run.err());
    }

    @Test
    void versionNamesTheProjectVersion() {
        CliRun run = CliRun.of("--version");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().matches("tern \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .*\\)\\R"), run::toString);
    }

    private static void assertOneErrorLine(CliRun run) {
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("tern: "), run::toString);
    }
}
