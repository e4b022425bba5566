package dev.tern.server.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.Runtime;
import dev.tern.server.ModelControl;
import dev.tern.server.internal.AccessPolicy;
import dev.tern.server.internal.RepositoryInferenceService;
import dev.tern.server.internal.ServerMetrics;
import dev.tern.server.internal.cache.ResponseCache;
import dev.tern.server.internal.repository.ModelRepository;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST handler's buffer discipline, on an EmbeddedChannel without a socket. */
class RestHandlerTest {
    @TempDir
    Path repository;
    private Runtime runtime;
    private ModelRepository models;
    private EmbeddedChannel channel;
    private final ServerMetrics metrics = new ServerMetrics();

    @BeforeEach
    void setUp() {
        runtime = Runtime.create();
        models = new ModelRepository(repository, runtime, ModelControl.NONE, metrics);
        channel = new EmbeddedChannel(new RestHandler(new RestRoutes(new RepositoryInferenceService(models, metrics, new ResponseCache(0), "test"), metrics, AccessPolicy.open())));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        models.close();
        assertEquals(0, runtime.openModels());
        runtime.close();
    }

    @Test
    void requestBufferIsReleasedAfterAnAnswer() {
        ByteBuf body = Unpooled.copiedBuffer("{\"inputs\": []}", StandardCharsets.UTF_8);
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/v2/models/nosuch/infer", body));
        assertEquals(0, body.refCnt(), "the handler must release the request body");
        FullHttpResponse response = channel.readOutbound();
        try {
            assertEquals(404, response.status().code());
            assertTrue(response.content().toString(StandardCharsets.UTF_8).contains("no model 'nosuch'"));
        } finally {
            response.release();
        }
    }

    @Test
    void requestBufferIsReleasedWhenTheBodyIsMalformed() {
        ByteBuf body = Unpooled.copiedBuffer("{not json", StandardCharsets.UTF_8);
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/v2/models/nosuch/infer", body));
        assertEquals(0, body.refCnt());
        FullHttpResponse response = channel.readOutbound();
        try {
            assertEquals(400, response.status().code());
            assertTrue(response.content().toString(StandardCharsets.UTF_8).contains("malformed JSON"));
        } finally {
            response.release();
        }
    }

    @Test
    void healthAnswersWithoutABody() {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v2/health/live"));
        FullHttpResponse response = channel.readOutbound();
        try {
            assertEquals(200, response.status().code());
            assertEquals(0, response.content().readableBytes());
        } finally {
            response.release();
        }
    }

    @Test
    void malformedPercentEncodingInThePathIsABadRequest() {
        // Found by InferRequestFuzzTest.restJson: URLDecoder's IllegalArgumentException became an HTTP 500.
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v2/models/%nt16/infer",
                Unpooled.copiedBuffer("{\"inputs\": []}", StandardCharsets.UTF_8)));
        FullHttpResponse response = channel.readOutbound();
        try {
            assertEquals(400, response.status().code());
            assertTrue(response.content().toString(StandardCharsets.UTF_8)
                    .contains("path segment '%nt16' is not valid percent-encoding"));
        } finally {
            response.release();
        }
    }
}
