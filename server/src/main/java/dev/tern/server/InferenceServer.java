package dev.tern.server;

import dev.tern.exec.Runtime;
import dev.tern.server.internal.AccessPolicy;
import dev.tern.server.internal.BearerToken;
import dev.tern.server.internal.cache.ResponseCache;
import dev.tern.server.internal.grpc.GrpcEndpoint;
import dev.tern.server.internal.grpc.GrpcTransport;
import dev.tern.server.internal.repository.ModelRepository;
import dev.tern.server.internal.RepositoryInferenceService;
import dev.tern.server.internal.rest.RestRoutes;
import dev.tern.server.internal.rest.RestTransport;
import dev.tern.server.internal.ServerMetrics;
import dev.tern.server.internal.ServerVersion;
import dev.tern.server.internal.TransportThreads;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running KServe v2 inference server: a model repository served over gRPC (default port
 * 8001), REST (default port 8000) and in process, all through one {@link InferenceService};
 * Prometheus metrics at {@code GET /metrics} and a web console for people at {@code /} on the
 * HTTP port.
 *
 * <pre>{@code
 * try (InferenceServer server = InferenceServer.builder().modelRepository(Path.of("models")).start()) {
 *     server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Ownership: the server owns its transports, event loops and every model it loads. It
 * does not own a {@link Runtime} given to {@link Builder#runtime}; without one it creates and
 * owns its own. {@link #close()} shuts down gracefully. Thread-safe.
 */
public final class InferenceServer implements AutoCloseable {
    /** The name that, alone in {@link Builder#loadAtStart}, loads every model of the repository at start. */
    public static final String ALL_MODELS = "*";

    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final Runtime ownedRuntime;
    private final ModelRepository repository;
    private final RepositoryInferenceService service;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final GrpcTransport grpc;
    private final RestTransport rest;
    private final ScheduledExecutorService poller;
    private final String inProcessName;
    private final Duration shutdownTimeout;
    private final Object closeLock = new Object();
    private boolean closed;

    private InferenceServer(Builder builder) throws IOException, InterruptedException {
        this.shutdownTimeout = builder.shutdownTimeout;
        this.inProcessName = "tern-" + UUID.randomUUID();
        Runtime runtime = builder.runtime;
        this.ownedRuntime = runtime == null ? Runtime.create() : null;
        ModelRepository repo = null;
        EventLoopGroup bossGroup = null;
        EventLoopGroup workerGroup = null;
        GrpcTransport grpcTransport = null;
        RestTransport restTransport = null;
        try {
            ServerMetrics metrics = new ServerMetrics();
            repo = new ModelRepository(builder.modelRepository, runtime == null ? ownedRuntime : runtime,
                    Optional.ofNullable(builder.textEncoders), builder.modelControl, metrics);
            metrics.reportTritonMetricsOf(repo::loaded);
            ResponseCache cache = new ResponseCache(builder.responseCacheBytes);
            metrics.reportResponseCache(cache);
            if (builder.modelControl == ModelControl.EXPLICIT && !builder.loadAtStart.equals(List.of(ALL_MODELS))) {
                repo.loadAtStart(builder.loadAtStart);
            } else {
                repo.loadAll();
            }
            this.service = new RepositoryInferenceService(repo, metrics, cache, ServerVersion.get());
            // Threads the schedulers recognize, so that no model ever runs on them.
            bossGroup = new MultiThreadIoEventLoopGroup(1, TransportThreads.factory("tern-accept"),
                    NioIoHandler.newFactory());
            workerGroup = new MultiThreadIoEventLoopGroup(builder.ioThreads, TransportThreads.factory("tern-io"),
                    NioIoHandler.newFactory());
            AccessPolicy access = new AccessPolicy(builder.bearerToken, builder.protectHealthAndMetrics);
            grpcTransport = GrpcTransport.start(new InetSocketAddress(builder.host, builder.grpcPort), bossGroup,
                    workerGroup, new GrpcEndpoint(service), access, builder.maxMessageBytes, inProcessName);
            restTransport = RestTransport.start(new InetSocketAddress(builder.host, builder.httpPort), bossGroup,
                    workerGroup, new RestRoutes(service, metrics, access), builder.maxMessageBytes);
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeQuietly(restTransport, grpcTransport, workerGroup, bossGroup, repo);
            if (ownedRuntime != null) {
                ownedRuntime.close();
            }
            throw e;
        }
        this.repository = repo;
        this.boss = bossGroup;
        this.workers = workerGroup;
        this.grpc = grpcTransport;
        this.rest = restTransport;
        this.poller = builder.modelControl == ModelControl.POLL ? startPolling(repo, builder.pollInterval) : null;
        OPEN.incrementAndGet();
        LOG.info("serving {} ({} model control): gRPC on {}:{}, HTTP on {}:{}", repo.root(),
                builder.modelControl.name().toLowerCase(), builder.host, grpc.port(), builder.host, rest.port());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How many servers are started and not yet closed, in this JVM; for leak checks in tests. */
    public static int openServers() {
        return OPEN.get();
    }

    /** The protocol service itself, for Java callers that want no transport at all. */
    public InferenceService service() {
        return service;
    }

    /** The gRPC port bound (the one asked for, or the one chosen for port 0). */
    public int grpcPort() {
        return grpc.port();
    }

    /** The HTTP port bound (the one asked for, or the one chosen for port 0). */
    public int httpPort() {
        return rest.port();
    }

    /**
     * A new channel to this server's in-process gRPC transport: the full gRPC path without a
     * socket. The caller owns the channel and shuts it down.
     */
    public ManagedChannel inProcessChannel() {
        return InProcessChannelBuilder.forName(inProcessName).directExecutor().build();
    }

    /** Blocks until another thread closes the server. */
    public void awaitTermination() throws InterruptedException {
        synchronized (closeLock) {
            while (!closed) {
                closeLock.wait();
            }
        }
    }

    /**
     * Shuts down gracefully: reports not ready and refuses new requests, lets requests in
     * flight finish (up to the shutdown timeout, then cancels them), closes connections,
     * unloads every model, and releases the event loops. Idempotent.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            closeLock.notifyAll();
        }
        LOG.info("shutting down: refusing new requests, finishing those in flight");
        service.stopAccepting();
        grpc.stopAccepting();
        rest.stopAccepting();
        try {
            if (!service.awaitIdle(shutdownTimeout)) {
                LOG.warn("requests still in flight after {}; cancelling them", shutdownTimeout);
            }
            grpc.awaitTermination(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (poller != null) {
            poller.shutdownNow();
        }
        closeQuietly(rest, grpc, workers, boss, repository);
        service.markStopped();
        if (ownedRuntime != null) {
            ownedRuntime.close();
        }
        OPEN.decrementAndGet();
        LOG.info("shut down");
    }

    private static ScheduledExecutorService startPolling(ModelRepository repository, Duration interval) {
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tern-model-poller");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                repository.rescan();
            } catch (RuntimeException e) {
                // A bug, since a bad model is recorded, not thrown; still, one failed scan must not stop the next.
                LOG.error("scanning the model repository failed", e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return poller;
    }

    private static void closeQuietly(RestTransport rest, GrpcTransport grpc, EventLoopGroup workers,
                                     EventLoopGroup boss, ModelRepository repository) {
        if (rest != null) {
            rest.close();
        }
        if (grpc != null) {
            grpc.close();
        }
        // Before the event loops: unloading joins the workers of every version no request uses any more, so
        // a worker still writing the last answers (counted done just before the write) hands them to a live loop.
        if (repository != null) {
            repository.close();
        }
        for (EventLoopGroup group : new EventLoopGroup[] {workers, boss}) {
            if (group != null) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    /** Configures a server; every setter checks its argument at once. */
    public static final class Builder {
        private Path modelRepository;
        private ModelControl modelControl = ModelControl.NONE;
        private String host = "127.0.0.1";
        private int httpPort = 8000;
        private int grpcPort = 8001;
        private int maxMessageBytes = 64 << 20;
        private int ioThreads = 0;
        private Duration pollInterval = Duration.ofSeconds(5);
        private long responseCacheBytes;
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Runtime runtime;
        private TextEncoderFactory textEncoders;
        private BearerToken bearerToken = BearerToken.none();
        private boolean protectHealthAndMetrics;
        private List<String> loadAtStart = List.of();

        private Builder() {
        }

        /** The repository folder, laid out as {@code <model>/<version>/model.onnx}. Required. */
        public Builder modelRepository(Path folder) {
            this.modelRepository = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /** How the loaded models may change; {@link ModelControl#NONE} unless set. */
        public Builder modelControl(ModelControl control) {
            this.modelControl = Objects.requireNonNull(control, "control");
            return this;
        }

        /**
         * With {@link ModelControl#EXPLICIT}, the models to load as the server starts; it loads
         * no other (by default none), and clients load the rest. {@link #ALL_MODELS} alone, as
         * Triton's {@code --load-model=*}, loads every model in the repository. A model named
         * here that fails to load is listed as unavailable and the server starts anyway.
         *
         * @throws IllegalArgumentException if {@link #ALL_MODELS} is named beside other models
         */
        public Builder loadAtStart(List<String> names) {
            if (names.contains(ALL_MODELS) && names.size() > 1) {
                throw new IllegalArgumentException("'" + ALL_MODELS + "' loads every model and must be the only"
                        + " model named to load at start, found " + names);
            }
            this.loadAtStart = List.copyOf(names);
            return this;
        }

        /** The address both transports bind; 127.0.0.1 unless set. "0.0.0.0" serves every interface. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /** @throws IllegalArgumentException unless 0 (any free port) to 65535 */
        public Builder httpPort(int port) {
            this.httpPort = requirePort(port, "HTTP");
            return this;
        }

        /** @throws IllegalArgumentException unless 0 (any free port) to 65535 */
        public Builder grpcPort(int port) {
            this.grpcPort = requirePort(port, "gRPC");
            return this;
        }

        /**
         * The largest request either transport accepts; larger ones are refused (gRPC
         * RESOURCE_EXHAUSTED, HTTP 413) and the connection's other requests go on.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxMessageBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maximum message size must be positive, found " + bytes);
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /**
         * Threads serving connections, shared by both transports; inference runs on them.
         * 0 (the default) lets Netty choose (twice the cores).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder ioThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("I/O threads must be >= 0, found " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /** How often {@link ModelControl#POLL} scans the repository. @throws IllegalArgumentException if not positive */
        public Builder pollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("poll interval must be positive, found " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /**
         * The bytes of the server's response cache, shared by every model whose {@code config.json}
         * sets {@code "response_cache": {"enable": true}}; the least recently used answers are evicted
         * beyond it. 0 (the default) caches nothing, whatever the models ask.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder responseCacheBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("response cache size must be >= 0 bytes, found " + bytes);
            }
            this.responseCacheBytes = bytes;
            return this;
        }

        /** How long {@link #close()} waits for requests in flight. @throws IllegalArgumentException if negative */
        public Builder shutdownTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("shutdown timeout must be >= 0, found " + timeout);
            }
            this.shutdownTimeout = timeout;
            return this;
        }

        /**
         * Requires {@code Authorization: Bearer <token>} on every request over the network, REST
         * and gRPC alike (HTTP 401, UNAUTHENTICATED otherwise), except the health checks
         * ({@code GET /v2/health/live} and {@code /ready}, gRPC {@code ServerLive} and
         * {@code ServerReady}) and {@code GET /metrics}, which Kubernetes probes and Prometheus
         * call without secrets, unless {@link #protectHealthAndMetrics} says otherwise. The
         * web console's static files need no token either (a browser cannot send one when it
         * opens a page); the console asks for the token and sends it on its own calls. The
         * in-process channel, reachable only from this JVM, needs no token.
         *
         * @throws IllegalArgumentException if {@code token} is blank
         */
        public Builder bearerToken(String token) {
            this.bearerToken = BearerToken.of(Objects.requireNonNull(token, "token"));
            return this;
        }

        /**
         * Whether the health checks and {@code GET /metrics} need the {@link #bearerToken} too
         * (default false: they are open, so probes and scrapes work without the token).
         */
        public Builder protectHealthAndMetrics(boolean protect) {
            this.protectHealthAndMetrics = protect;
            return this;
        }

        /**
         * Makes text models of the versions with a {@code tokenizer.json} beside their model file:
         * {@code factory} opens each one's {@link TextEncoder}, and an inference request may then send
         * a BYTES input {@code "text"} (one element per text) instead of the model's token inputs,
         * which the server fills by tokenizing. Without a factory (the default) no model takes text.
         */
        public Builder textEncoders(TextEncoderFactory factory) {
            this.textEncoders = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** The runtime to compile models on; the server does not close it. */
        public Builder runtime(Runtime runtime) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
            return this;
        }

        /**
         * Loads the repository's models (with {@link ModelControl#EXPLICIT}, those named with
         * {@link #loadAtStart}) and starts serving. A model that fails to load is logged and
         * listed as unavailable; the server starts anyway.
         *
         * @throws IllegalStateException if no model repository was set, health and metrics are
         *     to be protected without a bearer token, or models are named to load at start without
         *     {@link ModelControl#EXPLICIT}
         * @throws IllegalArgumentException if the repository is not a folder, or has no model named
         *     to load at start
         * @throws IOException if a port cannot be bound
         * @throws InterruptedException if interrupted while binding
         */
        public InferenceServer start() throws IOException, InterruptedException {
            if (modelRepository == null) {
                throw new IllegalStateException("a model repository is required: call modelRepository(folder)");
            }
            if (!loadAtStart.isEmpty() && modelControl != ModelControl.EXPLICIT) {
                throw new IllegalStateException("models to load at start " + loadAtStart + " need model control"
                        + " EXPLICIT; with " + modelControl + " the server loads every model itself");
            }
            if (protectHealthAndMetrics && !bearerToken.isRequired()) {
                throw new IllegalStateException("protecting health and metrics needs a bearer token: call"
                        + " bearerToken(token)");
            }
            return new InferenceServer(this);
        }

        private static int requirePort(int port, String which) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(which + " port must be 0 (any free port) to 65535, found " + port);
            }
            return port;
        }
    }
}
