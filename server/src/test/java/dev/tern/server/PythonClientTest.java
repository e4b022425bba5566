package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.server.proto.ModelInferResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that is not ours: Python grpcio (Debian's {@code python3-grpcio}) with stubs that
 * Debian's {@code python3-grpc-tools} generates from our .proto, checked against the
 * in-process answer. Needs both packages; without them it fails and says what to install.
 */
@ExtendWith(NoLeaks.class)
class PythonClientTest {
    /** Debian's interpreter, which the packages install into; a python3 first on PATH may be another. */
    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path work;

    @Test
    void pythonGrpcClientGetsTheInProcessAnswer() throws Exception {
        requirePythonGrpc();
        Path repository = Files.createDirectories(work.resolve("models"));
        TestModels.write(repository, "affine", 1, TestModels.affine());
        Path stubs = Files.createDirectories(work.resolve("stubs"));
        try (TestServer server = TestServer.start(repository)) {
            Process client = new ProcessBuilder(DEBIAN_PYTHON.toString(), "src/test/python/kserve_client.py",
                    "src/main/proto", stubs.toString(), "127.0.0.1:" + server.server.grpcPort())
                    .redirectError(work.resolve("client.err").toFile())
                    .start();
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(client.waitFor(120, TimeUnit.SECONDS), "the Python client did not finish");
            assertEquals(0, client.exitValue(),
                    () -> "the Python client failed: " + readQuietly(work.resolve("client.err")));
            JsonNode result = new ObjectMapper().readTree(out);
            assertTrue(result.get("live").asBoolean());
            assertEquals("[[\"x\",\"FP32\",[-1,3]],[\"ids\",\"INT64\",[-1]]]", result.get("inputs").toString());
            assertEquals("y", result.get("output").asText());
            assertEquals("[2,2]", result.get("shape").toString());

            ModelInferResponse inProcess = server.server.service()
                    .modelInfer(EndToEndTest.affineRequest().build(), Deadline.none()).get(30, TimeUnit.SECONDS);
            float[] expected = EndToEndTest.floats(inProcess.getRawOutputContents(0));
            assertEquals(expected.length, result.get("y").size());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], result.get("y").get(i).floatValue(), "element " + i);
            }
        }
    }

    private static void requirePythonGrpc() throws IOException, InterruptedException {
        String install = "install Debian's python3-grpcio and python3-grpc-tools"
                + " (apt-get install python3-grpcio python3-grpc-tools)";
        assertTrue(Files.isExecutable(DEBIAN_PYTHON), DEBIAN_PYTHON + " is missing; " + install);
        Process probe = new ProcessBuilder(DEBIAN_PYTHON.toString(), "-c", "import grpc, grpc_tools")
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                () -> DEBIAN_PYTHON + " cannot import grpc and grpc_tools: " + output.strip() + "; " + install);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
