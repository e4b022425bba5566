package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * Debian's {@code python3-grpc-tools} generates from our .proto files, checked against the
 * in-process answer and against what Triton answers for its configuration and statistics calls.
 * Needs both packages; without them it fails and says what to install.
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
        try (TestServer server = TestServer.start(repository)) {
            JsonNode result = runClient("kserve_client.py", server);
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

    @Test
    void pythonGrpcClientReadsTritonsConfigurationAndStatistics() throws Exception {
        requirePythonGrpc();
        Path repository = Files.createDirectories(work.resolve("models"));
        TestModels.write(repository, "affine", 1, TestModels.affine());
        try (TestServer server = TestServer.start(repository)) {
            JsonNode result = runClient("triton_client.py", server);

            JsonNode config = result.get("config");
            assertEquals("affine", config.get("name").asText());
            assertEquals("onnxruntime_onnx", config.get("platform").asText());
            assertEquals("onnxruntime", config.get("backend").asText());
            assertEquals(0, config.get("max_batch_size").asInt());
            assertEquals("[[\"x\",\"TYPE_FP32\",[-1,3]],[\"ids\",\"TYPE_INT64\",[-1]]]",
                    config.get("inputs").toString());
            assertEquals("[\"y\",\"next\"]", config.get("outputs").toString());
            assertEquals("KIND_CPU", config.get("instance_kind").asText());
            assertEquals(1, config.get("instance_count").asInt());
            assertFalse(config.get("dynamic_batching").asBoolean());
            assertFalse(config.get("response_cache").asBoolean());

            // Three inferences of a model that does not batch: Triton counts each request once.
            JsonNode stats = result.get("stats");
            assertEquals(1, stats.get("models").asInt());
            assertEquals("affine", stats.get("name").asText());
            assertEquals("1", stats.get("version").asText());
            assertEquals(3, stats.get("inference_count").asLong());
            assertEquals(3, stats.get("execution_count").asLong());
            assertEquals(3, stats.get("success").get("count").asLong());
            assertEquals(0, stats.get("fail").get("count").asLong());
            for (String phase : new String[] {"queue", "compute_input", "compute_infer", "compute_output"}) {
                assertEquals(3, stats.get(phase).get("count").asLong(), phase);
            }
            assertTrue(stats.get("compute_infer").get("ns").asLong() > 0);
            assertTrue(stats.get("success").get("ns").asLong()
                    >= stats.get("queue").get("ns").asLong() + stats.get("compute_infer").get("ns").asLong(),
                    () -> "a request's time in the server holds its queueing and its run: " + stats);
            assertEquals("[[1,3]]", stats.get("batch_stats").toString());
            long lastInference = stats.get("last_inference").asLong();
            assertTrue(lastInference > 0 && lastInference <= result.get("now_ms").asLong() + 1000,
                    () -> "last_inference " + lastInference + " against the client's clock " + result.get("now_ms"));
        }
    }

    /** Runs {@code script} from src/test/python against {@code server}'s gRPC port; its printed JSON. */
    private JsonNode runClient(String script, TestServer server) throws IOException, InterruptedException {
        Path stubs = Files.createDirectories(work.resolve("stubs-" + script));
        Path errors = work.resolve(script + ".err");
        Process client = new ProcessBuilder(DEBIAN_PYTHON.toString(), "src/test/python/" + script,
                "src/main/proto", stubs.toString(), "127.0.0.1:" + server.server.grpcPort())
                .redirectError(errors.toFile())
                .start();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(client.waitFor(120, TimeUnit.SECONDS), "the Python client " + script + " did not finish");
        assertEquals(0, client.exitValue(), () -> "the Python client " + script + " failed: " + readQuietly(errors));
        return new ObjectMapper().readTree(out);
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
