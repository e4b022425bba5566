package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: Prometheus text with request counts by outcome and the latency histograms. */
@ExtendWith(NoLeaks.class)
class MetricsTest {
    @TempDir
    Path repository;

    @Test
    void countsRequestsByOutcomeAndRecordsLatencies() throws Exception {
        TestModels.standardRepository(repository);
        try (TestServer server = TestServer.start(repository)) {
            server.grpc.modelInfer(EndToEndTest.affineRequest().build());
            assertEquals(200, server.post("/v2/models/affine/infer", BadRequestTest.VALID_JSON).statusCode());
            assertThrows(StatusRuntimeException.class, () -> server.grpc.modelInfer(
                    EndToEndTest.affineRequest().setModelVersion("7").build()));
            assertThrows(StatusRuntimeException.class, () -> server.grpc.modelInfer(
                    EndToEndTest.affineRequest().setModelName("made-up-" + System.nanoTime()).build()));

            HttpResponse<String> response = server.get("/metrics");
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
            String text = response.body();
            assertTrue(text.contains("tern_inference_requests_total{model=\"affine\",outcome=\"ok\",version=\"2\"} 2"),
                    text);
            assertTrue(text.contains("tern_inference_requests_total{model=\"affine\",outcome=\"not_found\",version=\"\"} 1"),
                    text);
            assertTrue(text.contains("tern_inference_requests_total{model=\"\",outcome=\"not_found\",version=\"\"} 1"),
                    text);
            assertFalse(text.contains("made-up-"), "a client's made-up model name must not become a label");
            assertTrue(text.contains("tern_inference_compute_seconds_count{model=\"affine\",version=\"2\"} 2"), text);
            assertTrue(text.contains("tern_inference_queue_seconds_count{model=\"affine\",version=\"2\"} 2"), text);
            assertTrue(text.contains("tern_inference_batch_requests_bucket{model=\"affine\",version=\"2\",le=\"1.0\"} 2"),
                    text);
        }
    }
}
