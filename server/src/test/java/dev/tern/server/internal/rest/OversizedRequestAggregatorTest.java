package dev.tern.server.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A request over the size limit is answered 413 with the protocol's JSON error, on an EmbeddedChannel. */
class OversizedRequestAggregatorTest {
    private static final int LIMIT = 100;
    private final EmbeddedChannel channel = new EmbeddedChannel(new OversizedRequestAggregator(LIMIT));

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aKeepAliveRequestGetsTheErrorAndTheConnectionStays() {
        FullHttpResponse response = send(request(500));
        try {
            assertEquals(413, response.status().code());
            assertEquals("application/json", response.headers().get(HttpHeaderNames.CONTENT_TYPE));
            assertEquals("{\"error\":\"the request body of 500 bytes is larger than the server's maximum message"
                    + " size of 100 bytes\"}", response.content().toString(StandardCharsets.UTF_8));
            assertTrue(HttpUtil.isKeepAlive(response));
        } finally {
            response.release();
        }
        assertTrue(channel.isOpen());
    }

    @Test
    void aRequestThatClosesTheConnectionGetsTheErrorThenTheConnectionCloses() {
        HttpRequest request = request(500);
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        FullHttpResponse response = send(request);
        try {
            assertEquals(413, response.status().code());
            assertTrue(response.content().toString(StandardCharsets.UTF_8).startsWith("{\"error\":"));
            assertFalse(HttpUtil.isKeepAlive(response));
        } finally {
            response.release();
        }
        channel.runPendingTasks();
        assertFalse(channel.isOpen());
    }

    private static HttpRequest request(int contentLength) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v2/models/m/infer");
        HttpUtil.setContentLength(request, contentLength);
        return request;
    }

    private FullHttpResponse send(HttpRequest request) {
        channel.writeInbound(request);
        return channel.readOutbound();
    }
}
