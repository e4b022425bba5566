package dev.tern.cli.internal;

import dev.tern.ir.Tensor;
import dev.tern.server.client.GrpcConnection;
import dev.tern.server.client.InputMetadata;
import dev.tern.server.client.RemoteCallFailure;
import dev.tern.server.client.RestConnection;
import dev.tern.server.client.ServerConnection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tern loadgen --url HOST:PORT --model NAME ...}: load on a running KServe v2 server. */
@Command(name = "loadgen",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Drive a running KServe v2 server (tern serve, Triton, ...) over gRPC or REST.",
            "Callers send the same request back to back; after the warmup every request's latency is recorded "
                    + "for a duration or a request count. Prints p50/p90/p99/max latency, requests per second and "
                    + "failures by status with the server's message for the first of each; exits 1 if any measured "
                    + "request failed."})
public final class LoadgenCommand implements Callable<Integer> {
    /** How loadgen reaches the server. */
    enum Protocol { grpc, rest }

    @Option(names = "--url", required = true, paramLabel = "HOST:PORT",
            description = "The server's gRPC or HTTP address, e.g. 127.0.0.1:8001.")
    private String url;

    @Option(names = "--protocol", paramLabel = "grpc|rest", description = "grpc (default) or rest.")
    private Protocol protocol = Protocol.grpc;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "The model to call.")
    private String model;

    // Not --version: every command's --version prints Tern's version, and picocli drops the standard
    // help options (--help too) from a command that takes one of their names for itself.
    @Option(names = "--model-version", paramLabel = "V",
            description = "The model version (default: the server's choice).")
    private String modelVersion = "";

    @Option(names = "--concurrency", paramLabel = "N", description = "Callers sending at once (default: 1).")
    private int concurrency = 1;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Unmeasured requests first (default: 2).")
    private double warmupSeconds = 2;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "How long to measure (default: 10).")
    private double durationSeconds = 10;

    @Option(names = "--requests", paramLabel = "N",
            description = "Measure this many requests instead of measuring for a duration.")
    private long requests;

    @Option(names = "--input", paramLabel = "NAME=FILE.npy",
            description = "An input's tensor from a .npy file; other inputs are random in the metadata's shape.")
    private Map<String, Path> inputFiles = new LinkedHashMap<>();

    @Option(names = "--shape", paramLabel = "NAME=D0,D1,...",
            description = "Shape of a random input (default: the metadata's, with 1 for every variable size).")
    private Map<String, String> shapes = new LinkedHashMap<>();

    @Option(names = "--bearer-token-file", paramLabel = "FILE",
            description = "Send 'Authorization: Bearer <token>' with every request, the token read from FILE.")
    private Path bearerTokenFile;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        checkOptions();
        int colon = url.lastIndexOf(':');
        String host = url.substring(0, colon);
        int port = Integer.parseInt(url.substring(colon + 1));
        Optional<String> bearerToken = Optional.ofNullable(bearerTokenFile).map(BearerTokenFile::read);
        LoadGenerator.Measurement measurement;
        try (ServerConnection connection = protocol == Protocol.grpc
                ? new GrpcConnection(host, port, model, modelVersion, bearerToken)
                : new RestConnection(host, port, model, modelVersion, bearerToken)) {
            List<Tensor> inputs = RemoteInputs.of(metadata(connection), inputFiles, parsedShapes());
            measurement = new LoadGenerator(() -> connection.newCall(inputs), concurrency, nanos(warmupSeconds),
                    nanos(durationSeconds), requests).run(ProgressLine.forConsole(spec.commandLine().getErr()));
        }
        LoadgenReport report = new LoadgenReport(url, protocol.name(), model, concurrency, warmupSeconds, measurement);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(report.json());
        } else {
            report.printText(out);
        }
        out.flush();
        return measurement.failures() == 0 ? ExitCode.OK : ExitCode.SOFTWARE;
    }

    private static List<InputMetadata> metadata(ServerConnection connection) {
        try {
            return connection.inputs();
        } catch (RemoteCallFailure e) {
            throw CliFailure.failed("cannot read the model's metadata: " + e.getMessage(), e);
        }
    }

    private void checkOptions() {
        int colon = url.lastIndexOf(':');
        if (colon <= 0 || !url.substring(colon + 1).matches("\\d{1,5}")
                || Integer.parseInt(url.substring(colon + 1)) > 65535) {
            throw new ParameterException(spec.commandLine(), "--url must be HOST:PORT, found '" + url + "'");
        }
        if (!(warmupSeconds >= 0) || !Double.isFinite(warmupSeconds)) {
            throw new ParameterException(spec.commandLine(), "--warmup must be 0 seconds or more, found " + warmupSeconds);
        }
        if (!(durationSeconds > 0) || !Double.isFinite(durationSeconds)) {
            throw new ParameterException(spec.commandLine(), "--duration must be above 0 seconds, found " + durationSeconds);
        }
        if (requests < 0) {
            throw new ParameterException(spec.commandLine(), "--requests must be at least 1, found " + requests);
        }
        if (concurrency < 1) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be at least 1, found " + concurrency);
        }
    }

    private Map<String, long[]> parsedShapes() {
        Map<String, long[]> parsed = new LinkedHashMap<>();
        shapes.forEach((name, dims) -> {
            if (!dims.matches("\\d+(,\\d+)*")) {
                throw new ParameterException(spec.commandLine(),
                        "--shape " + name + " must be sizes separated by commas, found '" + dims + "'");
            }
            parsed.put(name, Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray());
        });
        return parsed;
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }
}
