package dev.tern.server.internal.rest;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/** {@link RestResponse}s as Netty's HTTP/1.1 responses. */
final class HttpAnswers {
    private HttpAnswers() {
    }

    /** {@code answer} with its length, type and headers; {@code keepAlive} false adds {@code Connection: close}. */
    static FullHttpResponse of(RestResponse answer, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        if (answer.body().length > 0) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        }
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }
}
