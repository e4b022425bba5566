package dev.tern.server.internal.rest;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AttributeKey;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST adapter's Netty edge: copies each aggregated request's body into an owned array at
 * once (the request buffer is released by {@link SimpleChannelInboundHandler} when this
 * returns), hands it to {@link RestRoutes}, and writes the answer back when it completes,
 * from the model worker's thread for an inference, so the event loop goes on serving its other
 * connections meanwhile. Sharable: it keeps no per-connection state.
 */
@io.netty.channel.ChannelHandler.Sharable
final class RestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);
    /** The last answer written (or to be written) on a connection. */
    private static final AttributeKey<CompletableFuture<Void>> LAST_ANSWER = AttributeKey.valueOf("tern.lastAnswer");

    private final RestRoutes routes;

    RestHandler(RestRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            write(ctx, RestResponse.error(400, "malformed HTTP request: " + request.decoderResult().cause()), false);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        CompletableFuture<RestResponse> answer = routes.handle(request.method().name(), request.uri(),
                request.headers().get(HttpHeaderNames.AUTHORIZATION), request.headers().get(RestRoutes.HEADER_LENGTH),
                body);
        // HTTP/1.1 answers pipelined requests in order, but an inference finishes on its model's
        // worker, possibly after a later request: each answer waits for the one before it on the
        // same connection. This runs
        // on the channel's event loop, one request at a time, so the attribute needs no lock.
        CompletableFuture<Void> previous = ctx.channel().attr(LAST_ANSWER).get();
        CompletableFuture<Void> written = (previous == null ? answer : previous.thenCompose(done -> answer))
                .thenAccept(response -> write(ctx, response, keepAlive));
        ctx.channel().attr(LAST_ANSWER).set(written);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing a REST connection after an error: {}", cause.toString());
        ctx.close();
    }

    private static void write(ChannelHandlerContext ctx, RestResponse answer, boolean keepAlive) {
        FullHttpResponse response = HttpAnswers.of(answer, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
