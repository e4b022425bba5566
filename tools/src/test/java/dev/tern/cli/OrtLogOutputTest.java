package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern run}, in a JVM of its own, on a model ONNX Runtime warns about (an initializer no
 * node reads), with ONNX Runtime's logger at WARN: the warning reaches standard error as a plain
 * log line, with none of the colour codes ONNX Runtime writes.
 */
class OrtLogOutputTest {
    @Test
    void onnxRuntimeWarningsArePlainLogLines(@TempDir Path folder) throws Exception {
        GraphBuilder g = GraphBuilder.create("unused-initializer");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(2));
        g.initializer(Tensor.ofFloats("unused", new long[] {1}, 1f));
        g.output(g.op("Relu", x), "y");
        Path model = folder.resolve("model.onnx");
        OnnxExporter.write(g.toModel(21), model);
        Path out = folder.resolve("stdout");
        Path err = folder.resolve("stderr");

        Process tern = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.log.dev.tern.exec.onnxruntime=warn",
                "-cp", System.getProperty("java.class.path"), Tern.class.getName(), "run", model.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(tern.waitFor(2, TimeUnit.MINUTES), "tern run still running after 2 minutes");
        String stderr = Files.readString(err, StandardCharsets.UTF_8);

        assertEquals(0, tern.exitValue(), stderr);
        assertTrue(stderr.contains("WARN onnxruntime - Removing initializer 'unused'. It is not used by any node"),
                stderr);
        assertEquals(-1, stderr.indexOf('\u001B'), stderr);
    }
}
