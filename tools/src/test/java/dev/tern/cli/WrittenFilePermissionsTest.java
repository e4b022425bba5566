package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models, checkpoints and reports the commands write get the permissions any new file of this
 * process gets (the umask's), like a file made with {@code Files.createFile} beside them, not the
 * owner-only 0600 of a temporary file.
 */
class WrittenFilePermissionsTest {
    @TempDir
    Path folder;

    @Test
    void modelsCheckpointsAndReportsHonourTheUmask() throws IOException {
        Path model = folder.resolve("mlp.onnx");
        Path tuned = folder.resolve("tuned.onnx");
        Path converted = folder.resolve("converted.onnx");
        Path checkpoints = folder.resolve("checkpoints");
        Path report = folder.resolve("report");

        run("init-model", "mlp", "--inputs", "4", "--hidden", "8", "--classes", "3", "--seed", "1",
                "--out", model.toString());
        run("finetune", model.toString(), "--train", Checkout.dataSet("iris.csv").toString(), "--split", "0.2",
                "--label-column", "label", "--epochs", "1", "--seed", "1", "--threads", "1",
                "--checkpoint", checkpoints.toString(), "--report", report.toString(), "--out", tuned.toString());
        run("convert", tuned.toString(), converted.toString());

        String expected = PosixFilePermissions.toString(Files.getPosixFilePermissions(
                Files.createFile(folder.resolve("probe"))));
        List<Path> written = Stream.of(List.of(model, tuned, converted), files(checkpoints), files(report))
                .flatMap(List::stream).toList();
        assertFalse(files(checkpoints).isEmpty() || files(report).isEmpty(), written::toString);
        for (Path file : written) {
            assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file::toString);
        }
    }

    private static void run(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run::toString);
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
