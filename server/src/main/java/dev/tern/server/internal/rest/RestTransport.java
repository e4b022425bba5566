package dev.tern.server.internal.rest;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;

/**
 * The REST transport: Netty's HTTP/1.1 codec on one port, bodies aggregated up to the
 * maximum message size (a larger one is answered 413 by {@link OversizedRequestAggregator}),
 * then {@link RestHandler}.
 * Runs on event loops the caller owns.
 */
public final class RestTransport implements AutoCloseable {
    private final Channel serverChannel;
    private final ChannelGroup connections;

    private RestTransport(Channel serverChannel, ChannelGroup connections) {
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @throws InterruptedException if interrupted while binding
     * @throws io.netty.channel.ChannelException (or another exception from bind) if the address is taken
     */
    public static RestTransport start(InetSocketAddress address, EventLoopGroup boss, EventLoopGroup workers,
                                      RestRoutes routes, int maxMessageBytes) throws InterruptedException {
        RestHandler handler = new RestHandler(routes);
        ChannelGroup connections = new DefaultChannelGroup("tern-rest", GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        channel.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new OversizedRequestAggregator(maxMessageBytes))
                                .addLast(handler);
                    }
                });
        Channel channel = bootstrap.bind(address).sync().channel();
        return new RestTransport(channel, connections);
    }

    /** The port actually bound (useful when asked for port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting connections; open ones keep being served until {@link #close()}. */
    public void stopAccepting() {
        serverChannel.close().syncUninterruptibly();
    }

    /** Stops accepting and closes every open connection. */
    @Override
    public void close() {
        stopAccepting();
        connections.close().syncUninterruptibly();
    }
}
