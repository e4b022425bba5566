package dev.tern.bench;

import dev.tern.cli.internal.ExampleModel;
import dev.tern.cli.internal.GrpcConnection;
import dev.tern.cli.internal.InferenceCall;
import dev.tern.cli.internal.LatencyStats;
import dev.tern.cli.internal.LoadGenerator;
import dev.tern.cli.internal.ProgressLine;
import dev.tern.cli.internal.RemoteInputs;
import dev.tern.cli.internal.RestConnection;
import dev.tern.cli.internal.ServerConnection;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Tensor;
import dev.tern.server.InferenceServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server under concurrent load, in one run (tools/bench.sh load): the example MLP at
 * concurrency 1 in process, over gRPC and over REST; the int8 all-MiniLM-L6-v2 (sequence
 * length 32) over gRPC at concurrency 1, 8 and 32 with and without dynamic batching; then a
 * soak of 100,000 gRPC requests at concurrency 32 on the MLP, with heap and resident memory
 * read every 20,000. The server runs in this JVM on free loopback ports, so client and server
 * share the cores, as they would with a sidecar client on one machine.
 */
public final class ServerLoadBenchmark {
    private static final Path MINILM = Path.of("tools/target/models/all-minilm-l6-v2-q.onnx");
    private static final String BATCHED = "minilm-batched";
    private static final String UNBATCHED = "minilm";
    private static final String BATCHING_CONFIG = "{\"max_batch_size\": 8, \"dynamic_batching\": "
            + "{\"max_queue_delay_microseconds\": 500, \"preferred_batch_size\": [8]}}";
    private static final long SEQUENCE_LENGTH = 32;
    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final long DURATION_NANOS = 6_000_000_000L;
    private static final int SOAK_REQUESTS = 100_000;
    private static final int SOAK_STEP = 20_000;
    private static final int SOAK_CONCURRENCY = 32;

    private final PrintWriter out = new PrintWriter(System.out, true);
    private final ProgressLine progress = ProgressLine.forConsole(new PrintWriter(System.err, true));

    private ServerLoadBenchmark() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path repository = writeRepository(Files.createTempDirectory("tern-load-bench-"));
        try (Runtime runtime = Runtime.create();
             InferenceServer server = InferenceServer.builder().modelRepository(repository).runtime(runtime)
                     .httpPort(0).grpcPort(0).start()) {
            ServerLoadBenchmark benchmark = new ServerLoadBenchmark();
            benchmark.mlpTransports(runtime, repository, server);
            benchmark.miniLmBatching(server);
            benchmark.soak(server);
        }
    }

    private static Path writeRepository(Path repository) throws IOException {
        ExampleModel.writeRepository(repository);
        for (String name : List.of(BATCHED, UNBATCHED)) {
            Path version = Files.createDirectories(repository.resolve(name).resolve("1"));
            Files.copy(MINILM, version.resolve("model.onnx"));
        }
        Files.writeString(repository.resolve(BATCHED).resolve("config.json"), BATCHING_CONFIG);
        return repository;
    }

    private void mlpTransports(Runtime runtime, Path repository, InferenceServer server) {
        out.println("MLP (FP32[1,4] -> FP32[1,3]), concurrency 1");
        header("path");
        Map<String, Tensor> inputs = Map.of("x", Tensor.ofFloats("x", new long[] {1, 4}, 1, 2, 3, 4));
        try (CompiledModel model = runtime.open(repository.resolve(ExampleModel.NAME).resolve("1").resolve("model.onnx"))) {
            row("in-process executor", measure(() -> inProcessCall(model, inputs), 1));
        }
        try (ServerConnection grpc = grpc(server, ExampleModel.NAME)) {
            row("gRPC", measure(randomCalls(grpc, Map.of()), 1));
        }
        try (ServerConnection rest = new RestConnection("127.0.0.1", server.httpPort(), ExampleModel.NAME, "")) {
            row("REST (binary tensors)", measure(randomCalls(rest, Map.of()), 1));
        }
        out.println();
    }

    private void miniLmBatching(InferenceServer server) {
        out.println("all-MiniLM-L6-v2 int8, [1," + SEQUENCE_LENGTH + "] per request, gRPC");
        header("model, concurrency");
        for (String name : List.of(UNBATCHED, BATCHED)) {
            try (ServerConnection grpc = grpc(server, name)) {
                Map<String, long[]> shapes = new HashMap<>();
                grpc.inputs().forEach(input -> shapes.put(input.name(), new long[] {1, SEQUENCE_LENGTH}));
                for (int concurrency : new int[] {1, 8, 32}) {
                    row(name + ", " + concurrency, measure(randomCalls(grpc, shapes), concurrency));
                }
            }
        }
        out.println();
    }

    private void soak(InferenceServer server) {
        out.println("soak: " + SOAK_REQUESTS + " gRPC requests to the MLP at concurrency " + SOAK_CONCURRENCY);
        out.println("requests   failed   heap after GC MiB   RSS MiB");
        memoryRow(0, 0);
        long failed = 0;
        try (ServerConnection grpc = grpc(server, ExampleModel.NAME)) {
            Supplier<InferenceCall> calls = randomCalls(grpc, Map.of());
            for (int done = SOAK_STEP; done <= SOAK_REQUESTS; done += SOAK_STEP) {
                LoadGenerator.Measurement step = new LoadGenerator(calls, SOAK_CONCURRENCY, 0, 0, SOAK_STEP)
                        .run(progress);
                failed += step.failures();
                memoryRow(done, failed);
            }
        }
    }

    private static ServerConnection grpc(InferenceServer server, String model) {
        return new GrpcConnection("127.0.0.1", server.grpcPort(), model, "");
    }

    private static Supplier<InferenceCall> randomCalls(ServerConnection connection, Map<String, long[]> shapes) {
        List<Tensor> inputs = RemoteInputs.of(connection.inputs(), Map.of(), shapes);
        return () -> connection.newCall(inputs);
    }

    private static InferenceCall inProcessCall(CompiledModel model, Map<String, Tensor> inputs) {
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

    private void header(String what) {
        out.println(String.format(Locale.ROOT, "%-24s %12s %10s %10s %10s %7s", what, "requests/s", "p50 us",
                "p99 us", "p99/p50", "failed"));
    }

    private void row(String what, LoadGenerator.Measurement measurement) {
        LatencyStats latencies = measurement.latencies();
        out.println(String.format(Locale.ROOT, "%-24s %12.1f %10.1f %10.1f %10.1f %7d", what,
                measurement.inferencesPerSecond(), latencies.p50Nanos() / 1e3, latencies.p99Nanos() / 1e3,
                (double) latencies.p99Nanos() / Math.max(latencies.p50Nanos(), 1), measurement.failures()));
    }

    private void memoryRow(long requests, long failed) {
        // Heap after a full collection is what the server retains; what is merely garbage would hide a leak.
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        double rss;
        try {
            rss = ProcMemory.read().rssMiB();
        } catch (IOException e) {
            rss = Double.NaN;
        }
        out.println(String.format(Locale.ROOT, "%8d %8d %19.1f %9.1f", requests, failed, heap / 1048576.0, rss));
    }
}
