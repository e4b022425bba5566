package dev.tern.server.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST adapter's Netty edge: copies each aggregated request's body into an owned array at
 * once (the request buffer is released by {@link SimpleChannelInboundHandler} when this
 * returns), hands it to {@link RestRoutes}, and writes the answer back. Sharable: it keeps
 * no per-connection state.
 */
@io.netty.channel.ChannelHandler.Sharable
final class RestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);

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
        routes.handle(request.method().name(), request.uri(), request.headers().get(RestRoutes.HEADER_LENGTH), body)
                .whenComplete((response, error) -> write(ctx, response != null ? response
                        : RestResponse.error(500, "unexpected error: " + error), keepAlive));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing a REST connection after an error: {}", cause.toString());
        ctx.close();
    }

    private static void write(ChannelHandlerContext ctx, RestResponse answer, boolean keepAlive) {
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
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
