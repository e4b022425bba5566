package dev.tern.cli.internal;

import dev.tern.server.InferenceServer;
import dev.tern.server.ModelControl;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tern serve [--model-repository DIR] ...}: serves models over the KServe v2 protocol
 * until interrupted (Ctrl-C or SIGTERM shut it down gracefully).
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Serve ONNX models over the KServe v2 / Open Inference Protocol: gRPC and REST.",
            "The repository holds <model>/<version>/model.onnx and optionally <model>/config.json. "
                    + "A version with <model>/<version>/tokenizer.json also takes texts, as a BYTES input 'text'. "
                    + "Without --model-repository, serves a small example model named 'mlp'."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model-repository", paramLabel = "DIR",
            description = "Folder of models to serve (default: a built-in example model).")
    private Path repository;

    @Option(names = "--http-port", paramLabel = "N", description = "REST port (default: 8000; 0 picks a free one).")
    private int httpPort = 8000;

    @Option(names = "--grpc-port", paramLabel = "N", description = "gRPC port (default: 8001; 0 picks a free one).")
    private int grpcPort = 8001;

    @Option(names = "--host", paramLabel = "H",
            description = "Address to listen on (default: 127.0.0.1; 0.0.0.0 serves every interface).")
    private String host = "127.0.0.1";

    @Option(names = "--model-control", paramLabel = "MODE",
            description = "none: load all at start; explicit: load those named by --load-model, then clients load "
                    + "and unload; poll: follow the folder (default: none).")
    private String modelControl = "none";

    @Option(names = "--repository-poll-secs", paramLabel = "N",
            description = "With --model-control poll, seconds between scans of the repository (default: 5).")
    private Integer pollSecs;

    @Option(names = "--load-model", paramLabel = "NAME",
            description = "With --model-control explicit, a model to load at start (repeatable; default: none;"
                    + " '*' alone loads every model).")
    private List<String> loadModels = new ArrayList<>();

    @Option(names = "--cache-size", paramLabel = "BYTES",
            description = "Bytes of the response cache, shared by the models whose config.json sets"
                    + " \"response_cache\": {\"enable\": true}; least recently used answers are evicted"
                    + " (default: 0, no cache).")
    private long cacheSize;

    @Option(names = "--bearer-token-file", paramLabel = "FILE",
            description = "Require 'Authorization: Bearer <token>' on every request but health checks and /metrics,"
                    + " the token read from FILE (a file, so it stays out of the process list).")
    private Path bearerTokenFile;

    @Option(names = "--protect-health-and-metrics",
            description = "Require the bearer token for health checks and /metrics too (default: they are open,"
                    + " for Kubernetes probes and Prometheus).")
    private boolean protectHealthAndMetrics;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ModelControl control = modelControl();
        if (!loadModels.isEmpty() && control != ModelControl.EXPLICIT) {
            throw CliFailure.usage("--load-model needs --model-control explicit; with '" + modelControl
                    + "' the server loads every model itself");
        }
        if (pollSecs != null && (control != ModelControl.POLL || pollSecs < 1)) {
            throw CliFailure.usage("--repository-poll-secs needs --model-control poll and at least 1 second, found "
                    + pollSecs + " with '" + modelControl + "'");
        }
        if (protectHealthAndMetrics && bearerTokenFile == null) {
            throw CliFailure.usage("--protect-health-and-metrics needs --bearer-token-file");
        }
        if (repository != null) {
            if (!Files.isDirectory(repository)) {
                throw CliFailure.usage(repository, "no such model repository folder");
            }
            serve(repository, control, false);
            return ExitCode.OK;
        }
        Path example = Files.createTempDirectory("tern-example-");
        try {
            boolean exampleLoaded = control != ModelControl.EXPLICIT || loadModels.contains(ExampleModel.NAME)
                    || loadModels.contains(InferenceServer.ALL_MODELS);
            serve(ExampleModel.writeRepository(example), control, exampleLoaded);
        } finally {
            deleteTree(example);
        }
        return ExitCode.OK;
    }

    /**
     * Serves {@code folder} until the server is closed (by the shutdown hook) or this thread is
     * interrupted; {@code exampleLoaded} says whether to print a request for the example model.
     */
    private void serve(Path folder, ModelControl control, boolean exampleLoaded) throws IOException {
        InferenceServer server = start(folder, control);
        Thread hook = new Thread(server::close, "tern-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            PrintWriter out = spec.commandLine().getOut();
            out.println("tern: serving " + folder + " over HTTP on " + host + ":" + server.httpPort()
                    + " and gRPC on " + host + ":" + server.grpcPort() + " (Ctrl-C stops)");
            out.println("console: open http://" + host + ":" + server.httpPort() + "/ in a browser");
            if (exampleLoaded) {
                out.println("try: curl -s " + host + ":" + server.httpPort() + "/v2/models/" + ExampleModel.NAME
                        + "/infer -d '" + ExampleModel.CURL_BODY + "'");
            }
            out.flush();
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            removeHook(hook);
        }
    }

    private InferenceServer start(Path folder, ModelControl control) throws IOException {
        try {
            InferenceServer.Builder builder = InferenceServer.builder()
                    .modelRepository(folder)
                    .modelControl(control)
                    .loadAtStart(loadModels)
                    .protectHealthAndMetrics(protectHealthAndMetrics)
                    .host(host)
                    .httpPort(httpPort)
                    .grpcPort(grpcPort)
                    .responseCacheBytes(cacheSize)
                    .textEncoders(TokenizerTextEncoder::open);
            if (pollSecs != null) {
                builder.pollInterval(Duration.ofSeconds(pollSecs));
            }
            if (bearerTokenFile != null) {
                builder.bearerToken(BearerTokenFile.read(bearerTokenFile));
            }
            return builder.start();
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.usage("interrupted while starting the server", e);
        } catch (IOException e) {
            if (isBindFailure(e)) {
                throw CliFailure.usage("cannot listen on " + host + " port " + httpPort + " or " + grpcPort + ": "
                        + e.getMessage() + " (choose others with --http-port and --grpc-port)", e);
            }
            throw e;
        }
    }

    private ModelControl modelControl() {
        return switch (modelControl) {
            case "none" -> ModelControl.NONE;
            case "explicit" -> ModelControl.EXPLICIT;
            case "poll" -> ModelControl.POLL;
            default -> throw CliFailure.usage("--model-control must be none, explicit or poll, found '"
                    + modelControl + "'");
        };
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself.
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the example repository " + folder, e);
        }
    }
}
