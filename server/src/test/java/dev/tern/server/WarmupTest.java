package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code model_warmup}: samples run on every instance before a version is READY; bad samples fail the load. */
@ExtendWith(NoLeaks.class)
class WarmupTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path repository;

    @Test
    void warmUpRunsOnEveryInstanceBeforeTheVersionIsReady() throws Exception {
        writeAffine("""
                "x": {"data_type": "TYPE_FP32", "dims": [3], "random_data": true},
                "ids": {"data_type": "TYPE_INT64", "dims": [], "input_data_file": "ids.bin"}""");
        writeIds(2);
        try (TestServer server = TestServer.start(explicit())) {
            assertNotEquals(200, server.get("/v2/models/affine/ready").statusCode(), "not loaded yet");

            HttpResponse<String> load = server.post("/v2/repository/models/affine/load", "");

            assertEquals(200, load.statusCode(), load.body());
            JsonNode stats = JSON.readTree(server.get("/v2/models/affine/stats").body()).path("model_stats").get(0);
            // count 3 on each of 2 instances, batch_size 2, before any client request.
            assertEquals(6, stats.path("execution_count").asLong(), stats::toString);
            assertEquals(12, stats.path("inference_count").asLong(), stats::toString);
            assertEquals(200, server.get("/v2/models/affine/ready").statusCode());
            JsonNode warmup = JSON.readTree(server.get("/v2/models/affine/config").body()).path("model_warmup").get(0);
            assertEquals("sample", warmup.path("name").asText(), warmup::toString);
            assertEquals(3, warmup.path("count").asInt(), warmup::toString);
            assertEquals("ids.bin", warmup.path("inputs").path("ids").path("input_data_file").asText(),
                    warmup::toString);
        }
    }

    @Test
    void aVersionIsNotReadyWhileItWarmsUp() throws Exception {
        // Seconds per run on one thread: the load is still warming up when the test looks.
        TestModels.write(repository, "slow", 1, TestModels.slow(32));
        Files.writeString(repository.resolve("slow").resolve("config.json"), "{\"intra_op_threads\": 1,"
                + " \"model_warmup\": [{\"name\": \"full\", \"count\": 2, \"inputs\": {\"x\": {\"data_type\":"
                + " \"TYPE_FP32\", \"dims\": [" + TestModels.SLOW_SIZE + ", " + TestModels.SLOW_SIZE + "],"
                + " \"zero_data\": true}}}]}");
        try (TestServer server = TestServer.start(explicit())) {
            CompletableFuture<HttpResponse<String>> load = CompletableFuture.supplyAsync(() -> post(server));
            server.awaitStartedRuns("slow", 1);

            assertFalse(load.isDone(), "the load answered before its second warm-up run");
            assertNotEquals(200, server.get("/v2/models/slow/ready").statusCode(), "READY while warming up");
            assertEquals(200, load.get(60, TimeUnit.SECONDS).statusCode());
            assertEquals(200, server.get("/v2/models/slow/ready").statusCode());
        }
    }

    private static HttpResponse<String> post(TestServer server) {
        try {
            return server.post("/v2/repository/models/slow/load", "");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void warmUpThatDoesNotFitTheModelFailsTheLoadNamingTheSample() throws Exception {
        writeAffine("""
                "x": {"data_type": "TYPE_FP32", "dims": [4], "zero_data": true},
                "ids": {"data_type": "TYPE_INT64", "dims": [], "zero_data": true}""");
        assertLoadFails("warm-up sample 'sample': input 'x' of shape [2, 4] does not fit the model's [-1, 3]");
    }

    @Test
    void missingWarmUpFileFailsTheLoad() throws Exception {
        writeAffine("""
                "x": {"data_type": "TYPE_FP32", "dims": [3], "zero_data": true},
                "ids": {"data_type": "TYPE_INT64", "dims": [], "input_data_file": "ids.bin"}""");
        assertLoadFails("warm-up sample 'sample': 'model_warmup[0].inputs.ids.input_data_file': no file");
    }

    @Test
    void warmUpFileOfTheWrongSizeFailsTheLoad() throws Exception {
        writeAffine("""
                "x": {"data_type": "TYPE_FP32", "dims": [3], "zero_data": true},
                "ids": {"data_type": "TYPE_INT64", "dims": [], "input_data_file": "ids.bin"}""");
        writeIds(3);
        assertLoadFails("holds 24 bytes, expected 16 for INT64 [2]");
    }

    @Test
    void warmUpFileOutsideTheWarmupFolderIsRefused() throws Exception {
        writeAffine("""
                "x": {"data_type": "TYPE_FP32", "dims": [3], "zero_data": true},
                "ids": {"data_type": "TYPE_INT64", "dims": [], "input_data_file": "../config.json"}""");
        assertLoadFails("'model_warmup[0].inputs.ids.input_data_file' must be a relative path inside the model's"
                + " warmup/ folder, without '..'");
    }

    /** Writes the affine model with 2 instances, max_batch_size 4 and one warm-up sample of 2 rows, run 3 times. */
    private void writeAffine(String inputs) throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        Files.writeString(repository.resolve("affine").resolve("config.json"), "{\"max_batch_size\": 4,"
                + " \"instance_count\": 2, \"model_warmup\": [{\"name\": \"sample\", \"batch_size\": 2, \"count\": 3,"
                + " \"inputs\": {" + inputs + "}}]}");
    }

    private void writeIds(int count) throws Exception {
        ByteBuffer ids = ByteBuffer.allocate(count * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            ids.putLong(i);
        }
        Path folder = Files.createDirectories(repository.resolve("affine").resolve("warmup"));
        Files.write(folder.resolve("ids.bin"), ids.array());
    }

    private void assertLoadFails(String reason) throws Exception {
        try (TestServer server = TestServer.start(explicit())) {
            HttpResponse<String> load = server.post("/v2/repository/models/affine/load", "");

            assertNotEquals(200, load.statusCode());
            assertTrue(load.body().contains(reason), load.body());
            assertNotEquals(200, server.get("/v2/models/affine/ready").statusCode());
        }
    }

    private InferenceServer.Builder explicit() {
        return InferenceServer.builder().modelRepository(repository).modelControl(ModelControl.EXPLICIT)
                .loadAtStart(List.of());
    }
}
