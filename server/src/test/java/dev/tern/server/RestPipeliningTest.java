package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/1.1 pipelining: answers come back in request order even when the first finishes last. */
@ExtendWith(NoLeaks.class)
class RestPipeliningTest {
    @TempDir
    Path repository;

    @Test
    void aSlowRequestIsAnsweredBeforeAQuickOneSentAfterIt() throws Exception {
        // A run over 16 rows of the slow model takes far longer than the instant health check sent after it.
        TestModels.write(repository, "slow", 1, TestModels.slow(48));
        Files.writeString(repository.resolve("slow").resolve("config.json"), "{\"intra_op_threads\": 1}");
        try (TestServer server = TestServer.start(repository);
             Socket socket = new Socket("127.0.0.1", server.server.httpPort())) {
            String json = slowRequestJson(16);
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String requests = "POST /v2/models/slow/infer HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                    + body.length + "\r\n\r\n" + json
                    + "GET /v2/health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answers = readAll(socket.getInputStream());
            int inference = answers.indexOf("\"model_name\":\"slow\"");
            int secondStatus = answers.indexOf("HTTP/1.1 200", answers.indexOf("HTTP/1.1 200") + 1);
            assertTrue(inference > 0 && secondStatus > inference, () -> "answers out of order: " + answers);
        }
    }

    private static String slowRequestJson(int rows) {
        String zeros = String.join(",", Collections.nCopies(rows * TestModels.SLOW_SIZE, "0"));
        return "{\"inputs\":[{\"name\":\"x\",\"shape\":[" + rows + "," + TestModels.SLOW_SIZE
                + "],\"datatype\":\"FP32\",\"data\":[" + zeros + "]}]}";
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }
}
