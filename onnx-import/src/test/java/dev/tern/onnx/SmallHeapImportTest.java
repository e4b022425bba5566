package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Model;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-copy pin: a model with 64 MB of weights, inline and external, is imported in a
 * JVM limited to 48 MB of heap (which also caps direct memory), and every weight is read.
 */
class SmallHeapImportTest {
    @TempDir
    Path dir;

    @Test
    void importsMoreWeightsThanTheHeapHolds() throws Exception {
        Model model = Models.bigWeights(16, 1_000_000);
        Path inline = dir.resolve("inline.onnx");
        Path external = dir.resolve("external.onnx");
        OnnxExporter.write(model, inline);
        OnnxExporter.write(model, external, ExportOptions.builder().externalData(true).build());
        assertTrue(Files.size(inline) > 64_000_000L);
        String expected = Double.toString(SmallHeapImportMain.checksum(model));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                SmallHeapImportMain.class.getName(), inline.toString(), external.toString())
                .redirectErrorStream(true)
                .start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertEquals(List.of(expected, expected), output.lines().toList());
    }
}
