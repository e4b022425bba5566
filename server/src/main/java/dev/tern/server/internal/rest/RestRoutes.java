package dev.tern.server.internal.rest;

import dev.tern.server.Deadline;
import dev.tern.server.InferenceService;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import dev.tern.server.internal.AccessPolicy;
import dev.tern.server.internal.BearerToken;
import dev.tern.server.internal.ServerMetrics;
import dev.tern.server.proto.ModelConfigRequest;
import dev.tern.server.proto.ModelMetadataRequest;
import dev.tern.server.proto.ModelReadyRequest;
import dev.tern.server.proto.ModelStatisticsRequest;
import dev.tern.server.proto.RepositoryIndexRequest;
import dev.tern.server.proto.RepositoryModelUnloadRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST adapter's routes, free of Netty: a method, path, the binary-extension header and
 * the body in; a {@link RestResponse} out. Each route hands the call to the
 * {@link InferenceService}; a {@link Status} becomes the HTTP status with a JSON
 * {@code {"error": ...}} body. The web console's files ({@link ConsoleAssets}) are served at
 * {@code /} and under {@code /console/}, outside {@code /v2}, and without a token: a browser
 * cannot send one when it opens a page, and the console's own calls carry it.
 */
public final class RestRoutes {
    /** The binary tensor extension's header: how many leading bytes of the body are JSON. */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    private static final Logger LOG = LoggerFactory.getLogger(RestRoutes.class);

    /** The health checks and the metrics scrape, which {@link AccessPolicy} may let through without a token. */
    private static final Set<List<String>> PROBES = Set.of(List.of("v2", "health", "live"),
            List.of("v2", "health", "ready"), List.of("metrics"));

    private final InferenceService service;
    private final ServerMetrics metrics;
    private final AccessPolicy access;
    private final ConsoleAssets console = ConsoleAssets.fromClassPath();

    /** Routes to {@code service}, with {@code GET /metrics} from {@code metrics}, for the requests {@code access} admits. */
    public RestRoutes(InferenceService service, ServerMetrics metrics, AccessPolicy access) {
        this.service = service;
        this.metrics = metrics;
        this.access = access;
    }

    /**
     * Answers one request. Never completes exceptionally: every failure becomes an error response.
     *
     * @param path the request path, percent-encoded, with or without a query
     * @param authorization the value of the {@code Authorization} header, or null
     * @param headerLength the value of {@link #HEADER_LENGTH}, or null
     * @param body the request body, owned by the callee
     */
    public CompletableFuture<RestResponse> handle(String method, String path, String authorization,
                                                  String headerLength, byte[] body) {
        try {
            List<String> parts = segments(path);
            if (ConsoleAssets.serves(parts)) {
                requireMethod(method, "GET");
                return done(() -> console.answer(parts, query(path)));
            }
            if (!access.admits(PROBES.contains(parts), authorization)) {
                return CompletableFuture.completedFuture(RestResponse.error(401, BearerToken.refusal()));
            }
            return route(method, parts, headerLength, body)
                    .exceptionally(RestRoutes::errorResponse);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(errorResponse(e));
        }
    }

    private CompletableFuture<RestResponse> route(String method, List<String> parts, String headerLength,
                                                  byte[] body) {
        if (parts.equals(List.of("metrics"))) {
            requireMethod(method, "GET");
            return done(() -> new RestResponse(200, ServerMetrics.CONTENT_TYPE, metrics.scrape(), Map.of()));
        }
        if (!parts.get(0).equals("v2")) {
            throw notFound(parts);
        }
        List<String> rest = parts.subList(1, parts.size());
        if (rest.isEmpty()) {
            requireMethod(method, "GET");
            return done(() -> RestResponse.json(200, RestJson.serverMetadata(service.serverMetadata())));
        }
        switch (rest.get(0)) {
            case "health" -> {
                requireMethod(method, "GET");
                if (rest.equals(List.of("health", "live"))) {
                    return done(() -> RestResponse.empty(service.serverLive() ? 200 : 503));
                }
                if (rest.equals(List.of("health", "ready"))) {
                    return done(() -> RestResponse.empty(service.serverReady() ? 200 : 503));
                }
                throw notFound(parts);
            }
            case "models" -> {
                return model(method, parts, rest.subList(1, rest.size()), headerLength, body);
            }
            case "repository" -> {
                return repository(method, parts, rest.subList(1, rest.size()), body);
            }
            default -> throw notFound(parts);
        }
    }

    /** {@code /v2/models/stats} and {@code /v2/models/{m}[/versions/{v}][/ready|/infer|/config|/stats]}. */
    private CompletableFuture<RestResponse> model(String method, List<String> parts, List<String> rest,
                                                  String headerLength, byte[] body) {
        if (rest.isEmpty()) {
            throw notFound(parts);
        }
        if (rest.equals(List.of("stats"))) {
            requireMethod(method, "GET");
            return done(() -> RestResponse.json(200, RestJson.bytes(ProtoJson.of(service.modelStatistics(
                    ModelStatisticsRequest.getDefaultInstance())))));
        }
        String name = rest.get(0);
        String version = "";
        List<String> action = rest.subList(1, rest.size());
        if (!action.isEmpty() && action.get(0).equals("versions")) {
            if (action.size() < 2) {
                throw notFound(parts);
            }
            version = action.get(1);
            action = action.subList(2, action.size());
        }
        String modelVersion = version;
        if (action.isEmpty()) {
            requireMethod(method, "GET");
            return done(() -> RestResponse.json(200, RestJson.modelMetadata(service.modelMetadata(
                    ModelMetadataRequest.newBuilder().setName(name).setVersion(modelVersion).build()))));
        }
        if (action.equals(List.of("ready"))) {
            requireMethod(method, "GET");
            return done(() -> RestResponse.empty(service.modelReady(
                    ModelReadyRequest.newBuilder().setName(name).setVersion(modelVersion).build()) ? 200 : 503));
        }
        if (action.equals(List.of("config"))) {
            requireMethod(method, "GET");
            // Triton answers with the configuration itself, not the gRPC response around it.
            return done(() -> RestResponse.json(200, RestJson.bytes(ProtoJson.of(service.modelConfig(
                    ModelConfigRequest.newBuilder().setName(name).setVersion(modelVersion).build()).getConfig()))));
        }
        if (action.equals(List.of("stats"))) {
            requireMethod(method, "GET");
            return done(() -> RestResponse.json(200, RestJson.bytes(ProtoJson.of(service.modelStatistics(
                    ModelStatisticsRequest.newBuilder().setName(name).setVersion(modelVersion).build())))));
        }
        if (action.equals(List.of("infer"))) {
            requireMethod(method, "POST");
            JsonInferRequest request = JsonInferRequest.parse(name, modelVersion, body, jsonLength(headerLength));
            return service.modelInfer(request.request(), Deadline.none()).thenApply(response ->
                    RestJson.inferResponse(response, request.binaryOutputs(), request.allOutputsBinary()));
        }
        throw notFound(parts);
    }

    /**
     * {@code /v2/repository/index} and {@code /v2/repository/models/{m}/load|unload}; a load's
     * body may carry Triton's {@code {"parameters": {...}}}.
     */
    private CompletableFuture<RestResponse> repository(String method, List<String> parts, List<String> rest,
                                                       byte[] body) {
        if (rest.equals(List.of("index"))) {
            requireMethod(method, "POST", "GET");
            return done(() -> RestResponse.json(200, RestJson.repositoryIndex(
                    service.repositoryIndex(RepositoryIndexRequest.getDefaultInstance()))));
        }
        if (rest.size() == 3 && rest.get(0).equals("models")) {
            requireMethod(method, "POST");
            String name = rest.get(1);
            switch (rest.get(2)) {
                case "load" -> {
                    return done(() -> {
                        service.repositoryModelLoad(JsonModelLoad.parse(name, body));
                        return RestResponse.json(200, "{}".getBytes(StandardCharsets.UTF_8));
                    });
                }
                case "unload" -> {
                    return done(() -> {
                        service.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder()
                                .setModelName(name).build());
                        return RestResponse.json(200, "{}".getBytes(StandardCharsets.UTF_8));
                    });
                }
                default -> throw notFound(parts);
            }
        }
        throw notFound(parts);
    }

    private static int jsonLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            int length = Integer.parseInt(header.trim());
            if (length < 0) {
                throw new NumberFormatException("negative");
            }
            return length;
        } catch (NumberFormatException e) {
            throw Status.invalidArgument(HEADER_LENGTH + " must be a non-negative integer, found '" + header + "'")
                    .asException();
        }
    }

    private static CompletableFuture<RestResponse> done(Supplier<RestResponse> call) {
        return CompletableFuture.completedFuture(call.get());
    }

    /** The query of {@code path}, without its '?', or "" when it has none. */
    private static String query(String path) {
        int start = path.indexOf('?');
        return start < 0 ? "" : path.substring(start + 1);
    }

    /**
     * The decoded segments of {@code path}.
     *
     * @throws StatusException INVALID_ARGUMENT for a malformed percent-encoding
     */
    private static List<String> segments(String path) {
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        return Arrays.stream(bare.split("/"))
                .filter(part -> !part.isEmpty())
                .map(RestRoutes::decodeSegment)
                .toList();
    }

    /** A percent-encoded path segment as text ('+' stays itself: it means a space only in a query). */
    private static String decodeSegment(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Status.invalidArgument("path segment '" + segment + "' is not valid percent-encoding: "
                    + e.getMessage()).asException();
        }
    }

    private static void requireMethod(String method, String... allowed) {
        for (String ok : allowed) {
            if (ok.equals(method)) {
                return;
            }
        }
        throw new MethodNotAllowed(method, allowed);
    }

    private static StatusException notFound(List<String> parts) {
        return Status.notFound("no such endpoint: /" + String.join("/", parts)
                + "; see the KServe v2 protocol for the paths under /v2").asException();
    }

    private static RestResponse errorResponse(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof MethodNotAllowed notAllowed) {
            return RestResponse.error(405, notAllowed.getMessage());
        }
        if (cause instanceof StatusException statusError) {
            Status status = statusError.status();
            return RestResponse.error(status.code().httpStatus(), status.message());
        }
        LOG.error("REST request failed unexpectedly", cause);
        return RestResponse.error(500, "unexpected error: " + cause);
    }

    /** A known path asked for with a method it does not take: HTTP 405, which no protocol status maps to. */
    private static final class MethodNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MethodNotAllowed(String method, String... allowed) {
            super("method " + method + " is not allowed here; use " + String.join(" or ", allowed));
        }
    }
}
