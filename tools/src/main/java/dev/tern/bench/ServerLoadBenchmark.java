package dev.tern.bench;

import dev.tern.cli.internal.ExampleModel;
import dev.tern.cli.internal.LoadGenerator;
import dev.tern.cli.internal.ProgressLine;
import dev.tern.cli.internal.RemoteInputs;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Tensor;
import dev.tern.server.InferenceServer;
import dev.tern.server.client.GrpcConnection;
import dev.tern.server.client.InProcessConnection;
import dev.tern.server.client.InferenceCall;
import dev.tern.server.client.RestConnection;
import dev.tern.server.client.ServerConnection;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The server under concurrent load, in one run (tools/bench.sh load): the example MLP and the
 * int8 all-MiniLM-L6-v2 (sequence length 32) at concurrency 1, 8 and 32, called through the
 * executor with no server, through the server's service with no transport, over gRPC and over
 * REST, each served path under each of the model's configurations (ONNX Runtime's defaults,
 * dynamic batching, and for MiniLM the batching configuration's sessions without batching, so
 * that what batching gains is told apart from what the thread settings gain); then the
 * serving targets' ratios; then a
 * soak of 100,000 gRPC requests at concurrency 32 on the MLP with heap and resident memory read
 * every 10,000 requests while it runs. The server runs in this JVM on free loopback ports, so
 * client and server share the cores, as they would with a sidecar client on one machine.
 */
public final class ServerLoadBenchmark {
    private static final Path MINILM_FILE = Path.of("tools/target/models/all-minilm-l6-v2-q.onnx");
    private static final long SEQUENCE_LENGTH = 32;
    private static final long[] MINILM_SHAPE = {1, SEQUENCE_LENGTH};
    private static final Variant DEFAULTS = new Variant("defaults", "", null);
    private static final Variant MLP_BATCHING = new Variant("dynamic batching", "-batched", "{\"max_batch_size\": 32,"
            + " \"dynamic_batching\": {\"max_queue_delay_microseconds\": 100}}");
    /**
     * One session per core, each single-threaded: ONNX Runtime's threads never outnumber the
     * cores, and with batching two batches run at once.
     */
    private static final String MINILM_SESSIONS = "\"max_batch_size\": 8, \"instance_count\": 2, \"intra_op_threads\": 1";
    private static final Variant MINILM_UNBATCHED = new Variant("2 sessions x 1 thread", "-2x1",
            "{" + MINILM_SESSIONS + "}");
    private static final Variant MINILM_BATCHING = new Variant("2 x 1 thread, dynamic batching", "-batched",
            "{" + MINILM_SESSIONS + ", \"dynamic_batching\": {\"max_queue_delay_microseconds\": 500,"
                    + " \"preferred_batch_size\": [8]}}");
    private static final ServedModel MLP = new ServedModel("MLP, FP32[1,4] per request", ExampleModel.NAME,
            Map.of(), List.of(DEFAULTS, MLP_BATCHING));
    private static final ServedModel MINILM = new ServedModel("int8 all-MiniLM-L6-v2, [1," + SEQUENCE_LENGTH
            + "] per request", "minilm", Map.of("input_ids", MINILM_SHAPE, "attention_mask", MINILM_SHAPE,
                    "token_type_ids", MINILM_SHAPE), List.of(DEFAULTS, MINILM_UNBATCHED, MINILM_BATCHING));
    private static final int[] CONCURRENCIES = {1, 8, 32};
    private static final int TAIL_CONCURRENCY = 32;
    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final long DURATION_NANOS = 4_000_000_000L;
    private static final int SOAK_REQUESTS = 100_000;
    private static final int SOAK_SAMPLE_EVERY = 10_000;
    private static final int SOAK_CONCURRENCY = 32;
    private static final String EXECUTOR = "executor, no server";
    private static final String GRPC = "gRPC";

    /**
     * A model served from one file under one name per variant.
     *
     * @param shapes the shape of each input sent, where the metadata leaves sizes open
     */
    private record ServedModel(String title, String name, Map<String, long[]> shapes, List<Variant> variants) {
        String name(Variant variant) {
            return name + variant.suffix();
        }
    }

    /**
     * One way to serve a model: its config.json, or none for ONNX Runtime's defaults.
     *
     * @param suffix appended to the model's name to serve it this way
     */
    private record Variant(String label, String suffix, String config) {
    }

    /** A way for calls to reach a served model. */
    private record Transport(String label, Function<String, ServerConnection> connect) {
    }

    private final PrintWriter out = new PrintWriter(System.out, true);
    private final ProgressLine progress = ProgressLine.forConsole(new PrintWriter(System.err, true));
    private final LoadTable table = new LoadTable(out);
    private final Runtime runtime;
    private final Path repository;
    private final InferenceServer server;
    private final List<Transport> transports;

    private ServerLoadBenchmark(Runtime runtime, Path repository, InferenceServer server) {
        this.runtime = runtime;
        this.repository = repository;
        this.server = server;
        this.transports = List.of(
                new Transport("in-process service", name -> new InProcessConnection(server.service(), name, "")),
                new Transport(GRPC, name -> new GrpcConnection("127.0.0.1", server.grpcPort(), name, "")),
                new Transport("REST", name -> new RestConnection("127.0.0.1", server.httpPort(), name, "")));
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path repository = writeRepository(Files.createTempDirectory("tern-load-bench-"));
        try (Runtime runtime = Runtime.create();
             InferenceServer server = InferenceServer.builder().modelRepository(repository).runtime(runtime)
                     .httpPort(0).grpcPort(0).start()) {
            ServerLoadBenchmark benchmark = new ServerLoadBenchmark(runtime, repository, server);
            for (ServedModel model : List.of(MLP, MINILM)) {
                benchmark.measure(model);
            }
            benchmark.printTargets();
            benchmark.soak();
        }
    }

    private static Path writeRepository(Path repository) throws IOException {
        // The example MLP lands under its own name, served with the defaults; the other variants copy it.
        ExampleModel.writeRepository(repository);
        Path mlp = modelFile(repository, MLP.name(DEFAULTS));
        for (Variant variant : MLP.variants()) {
            if (variant != DEFAULTS) {
                copyModel(repository, mlp, MLP.name(variant), variant.config());
            }
        }
        for (Variant variant : MINILM.variants()) {
            copyModel(repository, MINILM_FILE, MINILM.name(variant), variant.config());
        }
        return repository;
    }

    /** Serves {@code file} as {@code name} version 1, with {@code config} as its config.json unless null. */
    private static void copyModel(Path repository, Path file, String name, String config) throws IOException {
        Files.createDirectories(modelFile(repository, name).getParent());
        Files.copy(file, modelFile(repository, name));
        if (config != null) {
            Files.writeString(repository.resolve(name).resolve("config.json"), config);
        }
    }

    private static Path modelFile(Path repository, String name) {
        return repository.resolve(name).resolve("1").resolve("model.onnx");
    }

    /** Every path under each of the model's variants, at every concurrency. */
    private void measure(ServedModel model) {
        table.header(model.title());
        try (CompiledModel executor = runtime.open(modelFile(repository, model.name()));
             ServerConnection metadata = new InProcessConnection(server.service(), model.name(), "")) {
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            RemoteInputs.of(metadata.inputs(), Map.of(), model.shapes()).forEach(input -> inputs.put(input.name(), input));
            for (int concurrency : CONCURRENCIES) {
                table.add(new LoadTable.Case(model.title(), EXECUTOR, DEFAULTS.label(), concurrency),
                        measure(() -> executorCall(executor, inputs), concurrency));
            }
        }
        for (Transport transport : transports) {
            for (Variant variant : model.variants()) {
                try (ServerConnection connection = transport.connect().apply(model.name(variant))) {
                    Supplier<InferenceCall> calls = calls(connection, model.shapes());
                    for (int concurrency : CONCURRENCIES) {
                        table.add(new LoadTable.Case(model.title(), transport.label(), variant.label(), concurrency),
                                measure(calls, concurrency));
                    }
                }
            }
        }
    }

    private void printTargets() {
        out.println();
        long grpc = table.get(new LoadTable.Case(MLP.title(), GRPC, DEFAULTS.label(), 1)).latencies().p50Nanos();
        long executor = table.get(new LoadTable.Case(MLP.title(), EXECUTOR, DEFAULTS.label(), 1)).latencies()
                .p50Nanos();
        out.println(String.format(Locale.ROOT, "- MLP, concurrency 1: gRPC p50 - executor p50 = %s - %s = %s"
                + " (target <= 130 us)", LoadTable.duration(grpc), LoadTable.duration(executor),
                LoadTable.duration(grpc - executor)));
        for (Transport transport : transports) {
            double batched = requestsPerSecond(MINILM, transport, MINILM_BATCHING);
            out.println(String.format(Locale.ROOT, "- MiniLM, concurrency %d, %s: batched/unbatched requests/s ="
                    + " %.2fx against defaults, %.2fx against the same sessions unbatched (target >= 2x)",
                    TAIL_CONCURRENCY, transport.label(), batched / requestsPerSecond(MINILM, transport, DEFAULTS),
                    batched / requestsPerSecond(MINILM, transport, MINILM_UNBATCHED)));
        }
        for (ServedModel model : List.of(MLP, MINILM)) {
            out.println(String.format(Locale.ROOT, "- %s, concurrency %d, p99/p50: %s; %s %.1f (target <= 10)",
                    model.title(), TAIL_CONCURRENCY, servedTails(model), EXECUTOR, LoadTable.p99OverP50(
                            table.get(new LoadTable.Case(model.title(), EXECUTOR, DEFAULTS.label(), TAIL_CONCURRENCY)))));
        }
    }

    private double requestsPerSecond(ServedModel model, Transport transport, Variant variant) {
        return table.get(new LoadTable.Case(model.title(), transport.label(), variant.label(), TAIL_CONCURRENCY))
                .inferencesPerSecond();
    }

    /** "gRPC 1.5/1.4, ...": each transport's p99/p50 at the tail concurrency, one per variant in order. */
    private String servedTails(ServedModel model) {
        List<String> tails = new ArrayList<>();
        for (Transport transport : transports) {
            List<String> ratios = new ArrayList<>();
            for (Variant variant : model.variants()) {
                ratios.add(String.format(Locale.ROOT, "%.1f", LoadTable.p99OverP50(table.get(new LoadTable.Case(
                        model.title(), transport.label(), variant.label(), TAIL_CONCURRENCY)))));
            }
            tails.add(transport.label() + " " + String.join("/", ratios));
        }
        return String.join(", ", tails);
    }

    private void soak() throws InterruptedException {
        out.println();
        out.println("Soak: " + SOAK_REQUESTS + " gRPC requests to the MLP at concurrency " + SOAK_CONCURRENCY
                + ", memory read every " + SOAK_SAMPLE_EVERY + " requests while the load runs");
        out.println();
        try (ServerConnection grpc = new GrpcConnection("127.0.0.1", server.grpcPort(), ExampleModel.NAME, "");
             SoakMemorySampler sampler = new SoakMemorySampler(SOAK_SAMPLE_EVERY, out)) {
            sampler.start();
            LoadGenerator.Measurement soak = new LoadGenerator(sampler.counting(calls(grpc, Map.of())),
                    SOAK_CONCURRENCY, 0, 0, SOAK_REQUESTS).run(progress);
            // Printed after the sampler's last reading, which close() waits for.
            sampler.close();
            out.println();
            out.println(String.format(Locale.ROOT, "soak: %,.1f requests/s, p50 %s, p99 %s, %d failed",
                    soak.inferencesPerSecond(), LoadTable.duration(soak.latencies().p50Nanos()),
                    LoadTable.duration(soak.latencies().p99Nanos()), soak.failures()));
        }
    }

    private static Supplier<InferenceCall> calls(ServerConnection connection, Map<String, long[]> shapes) {
        List<Tensor> inputs = RemoteInputs.of(connection.inputs(), Map.of(), shapes);
        return () -> connection.newCall(inputs);
    }

    private static InferenceCall executorCall(CompiledModel model, Map<String, Tensor> inputs) {
        return new InferenceCall() {
            @Override
            public void run() {
                model.run(inputs);
            }

            @Override
            public void close() {
                // The model belongs to the benchmark.
            }
        };
    }

    private LoadGenerator.Measurement measure(Supplier<InferenceCall> calls, int concurrency) {
        return new LoadGenerator(calls, concurrency, WARMUP_NANOS, DURATION_NANOS).run(progress);
    }
}
