package dev.tern.server.internal.rest;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator of request bodies up to the maximum message size, answering a larger
 * request 413 with the protocol's {@code {"error": ...}} body, where Netty's own answer has none.
 * As Netty's, it keeps the connection when the client can go on (keep-alive, or a body it has
 * not started to send) and discards the oversized body, and closes it otherwise.
 */
final class OversizedRequestAggregator extends HttpObjectAggregator {
    private final int maxMessageBytes;

    OversizedRequestAggregator(int maxMessageBytes) {
        super(maxMessageBytes);
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        // A body already read in full, or a connection the client will not reuse, cannot go on.
        boolean keepAlive = !(oversized instanceof FullHttpMessage)
                && (HttpUtil.is100ContinueExpected(oversized) || HttpUtil.isKeepAlive(oversized));
        RestResponse answer = RestResponse.error(413, describe(oversized));
        ctx.writeAndFlush(HttpAnswers.of(answer, keepAlive)).addListener(keepAlive
                ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
    }

    private String describe(HttpMessage oversized) {
        long length = HttpUtil.getContentLength(oversized, -1L);
        String size = length < 0 ? "the request body is" : "the request body of " + length + " bytes is";
        return size + " larger than the server's maximum message size of " + maxMessageBytes + " bytes";
    }
}
