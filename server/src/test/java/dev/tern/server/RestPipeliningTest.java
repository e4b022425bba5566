package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/1.1 pipelining: answers come back in request order even when the first finishes last. */
@ExtendWith(NoLeaks.class)
class RestPipeliningTest {
    @TempDir
    Path repository;

    @Test
    void aSlowBatchedRequestIsAnsweredBeforeAQuickOneSentAfterIt() throws Exception {
        TestModels.write(repository, "affine", 1, TestModels.affine());
        // The batcher holds a lone request for 300 ms, waiting for company; the health check is instant.
        Files.writeString(repository.resolve("affine").resolve("config.json"), "{\"max_batch_size\": 8,"
                + " \"dynamic_batching\": {\"max_queue_delay_microseconds\": 300000}}");
        try (TestServer server = TestServer.start(repository);
             Socket socket = new Socket("127.0.0.1", server.server.httpPort())) {
            byte[] body = BadRequestTest.VALID_JSON.getBytes(StandardCharsets.UTF_8);
            String requests = "POST /v2/models/affine/infer HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                    + body.length + "\r\n\r\n" + BadRequestTest.VALID_JSON
                    + "GET /v2/health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answers = readAll(socket.getInputStream());
            int inference = answers.indexOf("\"model_name\":\"affine\"");
            int secondStatus = answers.indexOf("HTTP/1.1 200", answers.indexOf("HTTP/1.1 200") + 1);
            assertTrue(inference > 0 && secondStatus > inference, () -> "answers out of order: " + answers);
        }
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }
}
