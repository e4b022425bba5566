package dev.tern.bench;

import dev.tern.cli.internal.LoadGenerator;
import dev.tern.cli.internal.ProgressLine;
import dev.tern.cli.internal.RemoteInputs;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import dev.tern.onnx.OnnxExporter;
import dev.tern.server.InferenceServer;
import dev.tern.server.client.GrpcConnection;
import dev.tern.server.client.InferenceCall;
import dev.tern.server.client.InputMetadata;
import dev.tern.server.client.ServerConnection;
import dev.tern.train.models.ModelTemplates;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Whether dynamic batching ever costs (tools/bench.sh batching): for each model, every
 * instance x intra-op thread setup of {@link ServingSetup#grid} is served unbatched and then
 * batched, one server at a time in this JVM on free loopback ports, and called over gRPC at
 * concurrency 32 and 1. The best unbatched setup (requests/s at 32, p50 at 1) is what batching
 * must beat; the batched/best-unbatched ratios of requests/s and p50 follow, then each model's
 * cost per row at batch 1 and 16 straight through the executor ({@link CompiledModel#run}, one
 * intra-op thread), which is what batching can save at most. Models: the 64-128-10 digits MLP
 * ({@link ModelTemplates#mlp}), the int8 and the fp32 all-MiniLM-L6-v2 at 32 tokens.
 */
public final class BatchingBenchmark {
    private static final Path MODELS = Path.of("tools/target/models");
    /** The repository folder in the work folder, the name its one model is served as, and the model's file name. */
    private static final String REPOSITORY = "repository";
    private static final String SERVED = "served";
    private static final String MODEL_FILE = "model.onnx";
    private static final long TOKENS = 32;
    private static final List<String> MINILM_INPUTS = List.of("input_ids", "attention_mask", "token_type_ids");
    /** Rows per batch for the executor's per-row cost, beside a batch of 1. */
    private static final long BATCH_ROWS = 16;
    private static final int LOADED = 32;
    private static final int LONE = 1;
    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final long DURATION_NANOS = 4_000_000_000L;
    /** The MLP runs in microseconds: a short delay, and batches as large as the load. */
    private static final String MLP_BATCHING = "\"max_batch_size\": 32,"
            + " \"dynamic_batching\": {\"max_queue_delay_microseconds\": 100}";
    /** MiniLM runs in milliseconds: batches of at most 16 rows, the executor's batch below. */
    private static final String MINILM_BATCHING = "\"max_batch_size\": 16,"
            + " \"dynamic_batching\": {\"max_queue_delay_microseconds\": 500}";

    /** One setup's gRPC measurements under load and alone. */
    private record Row(ServingSetup setup, LoadGenerator.Measurement loaded, LoadGenerator.Measurement lone) {
    }

    private static final Comparator<Row> BY_THROUGHPUT =
            Comparator.comparingDouble(row -> row.loaded().inferencesPerSecond());

    private final PrintWriter out = new PrintWriter(System.out, true);
    private final ProgressLine progress = ProgressLine.forConsole(new PrintWriter(System.err, true));
    private final Runtime runtime;
    private final Path work;

    private BatchingBenchmark(Runtime runtime, Path work) {
        this.runtime = runtime;
        this.work = work;
    }

    /**
     * Arguments: {@code --models mlp,int8,fp32} (a subset, default all three) and
     * {@code --rounds R} (the grid measured R times, default 1; with more, each round's summary
     * and the median of the rounds' ratios are printed, so that one noisy setup cannot decide).
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> chosen = List.of("mlp", "int8", "fp32");
        int rounds = 1;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--models" -> chosen = List.of(args[i + 1].split(","));
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + ", expected --models mlp,int8,fp32 or --rounds R");
            }
        }
        Path work = Files.createTempDirectory("tern-batching-bench-");
        Path mlp = work.resolve("digits-mlp.onnx");
        OnnxExporter.write(ModelTemplates.mlp(64, new int[] {128}, 10, 1), mlp);
        Map<String, BatchedModel> known = new LinkedHashMap<>();
        known.put("mlp", new BatchedModel("digits MLP 64-128-10, FP32[1,64]", mlp,
                Map.of(ModelTemplates.INPUT, new long[] {64}), MLP_BATCHING));
        known.put("int8", new BatchedModel("int8 all-MiniLM-L6-v2, [1," + TOKENS + "]",
                MODELS.resolve("all-minilm-l6-v2-q.onnx"), BatchedModel.sameShape(MINILM_INPUTS, TOKENS), MINILM_BATCHING));
        known.put("fp32", new BatchedModel("fp32 all-MiniLM-L6-v2, [1," + TOKENS + "]",
                MODELS.resolve("all-minilm-l6-v2.onnx"), BatchedModel.sameShape(MINILM_INPUTS, TOKENS), MINILM_BATCHING));
        List<BatchedModel> models = new ArrayList<>();
        for (String name : chosen) {
            BatchedModel model = known.get(name);
            if (model == null) {
                throw new IllegalArgumentException("unknown model " + name + ", expected one of " + known.keySet());
            }
            models.add(model);
        }
        try (Runtime runtime = Runtime.create()) {
            BatchingBenchmark benchmark = new BatchingBenchmark(runtime, work);
            List<String> summaries = new ArrayList<>();
            List<String> rowCosts = new ArrayList<>();
            for (BatchedModel model : models) {
                List<Double> ratios = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    List<Row> rows = benchmark.measureGrid(model);
                    summaries.add(benchmark.summary(model, rows) + (rounds > 1 ? " (round " + round + ")" : ""));
                    ratios.add(throughputRatio(rows));
                }
                if (rounds > 1) {
                    benchmark.out.println(String.format(Locale.ROOT, "%s: batched/unbatched requests/s by round %s,"
                            + " median %.2f", model.title(), ratios.stream()
                            .map(ratio -> String.format(Locale.ROOT, "%.2f", ratio)).toList(), median(ratios)));
                }
                rowCosts.add(benchmark.rowCosts(model));
            }
            benchmark.printSummary(summaries, rowCosts);
        } finally {
            deleteTree(work);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** Removes the work folder: the MLP's file and the one repository with its copy of the last model. */
    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * Every setup of the grid, one table row each as it is measured: each instance x thread
     * setup unbatched and then batched, so that a drift in the machine's load falls on the two
     * alike. The first setup is served once unmeasured before, so that the JIT's warmup of the
     * client and server code does not fall on the first row.
     */
    private List<Row> measureGrid(BatchedModel model) throws IOException, InterruptedException {
        List<ServingSetup> unbatched = ServingSetup.grid();
        measure(model, unbatched.get(0));
        out.println();
        out.println("| " + model.title() + " | requests/s at " + LOADED + " | p50 at " + LOADED + " | p99 at " + LOADED
                + " | requests/s at " + LONE + " | p50 at " + LONE + " | failed |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        List<Row> rows = new ArrayList<>();
        for (ServingSetup setup : unbatched) {
            for (ServingSetup served : List.of(setup, setup.batching())) {
                Row row = measure(model, served);
                rows.add(row);
                out.println(String.format(Locale.ROOT, "| %s | %,.1f | %s | %s | %,.1f | %s | %d |", served.label(),
                        row.loaded().inferencesPerSecond(), LoadTable.duration(row.loaded().latencies().p50Nanos()),
                        LoadTable.duration(row.loaded().latencies().p99Nanos()), row.lone().inferencesPerSecond(),
                        LoadTable.duration(row.lone().latencies().p50Nanos()),
                        row.loaded().failures() + row.lone().failures()));
            }
        }
        return rows;
    }

    /**
     * Serves {@code model} alone under {@code setup} and calls it over gRPC, under load and then
     * alone. Each setup gets a fresh server reading the setup's config.json beside the one copy
     * of the model's file.
     */
    private Row measure(BatchedModel model, ServingSetup setup) throws IOException, InterruptedException {
        Path served = work.resolve(REPOSITORY).resolve(SERVED);
        Path version = Files.createDirectories(served.resolve("1"));
        Files.copy(model.file(), version.resolve(MODEL_FILE), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(served.resolve("config.json"), setup.configJson(model.batching()));
        try (InferenceServer server = InferenceServer.builder().modelRepository(work.resolve(REPOSITORY))
                .runtime(runtime).httpPort(0).grpcPort(0).start();
             ServerConnection grpc = new GrpcConnection("127.0.0.1", server.grpcPort(), SERVED, "")) {
            List<Tensor> inputs = RemoteInputs.of(grpc.inputs(), Map.of(), model.shapes(1));
            Supplier<InferenceCall> calls = () -> grpc.newCall(inputs);
            LoadGenerator.Measurement loaded = new LoadGenerator(calls, LOADED, WARMUP_NANOS, DURATION_NANOS)
                    .run(progress);
            LoadGenerator.Measurement lone = new LoadGenerator(calls, LONE, WARMUP_NANOS, DURATION_NANOS)
                    .run(progress);
            return new Row(setup, loaded, lone);
        }
    }

    /** The best batched setup's requests/s at concurrency 32 over the best unbatched setup's. */
    private static double throughputRatio(List<Row> rows) {
        double bestBatched = rows.stream().filter(row -> row.setup().batched()).max(BY_THROUGHPUT).orElseThrow()
                .loaded().inferencesPerSecond();
        double bestUnbatched = rows.stream().filter(row -> !row.setup().batched()).max(BY_THROUGHPUT).orElseThrow()
                .loaded().inferencesPerSecond();
        return bestBatched / bestUnbatched;
    }

    /**
     * One summary line: the best unbatched and best batched setups under load (requests/s) and
     * alone (p50), and batched over best unbatched for each.
     */
    private String summary(BatchedModel model, List<Row> rows) {
        List<Row> unbatched = rows.stream().filter(row -> !row.setup().batched()).toList();
        List<Row> batched = rows.stream().filter(row -> row.setup().batched()).toList();
        Comparator<Row> byLoneP50 = Comparator.comparingLong(row -> row.lone().latencies().p50Nanos());
        Row bestUnbatched = unbatched.stream().max(BY_THROUGHPUT).orElseThrow();
        Row bestBatched = batched.stream().max(BY_THROUGHPUT).orElseThrow();
        Row quickestUnbatched = unbatched.stream().min(byLoneP50).orElseThrow();
        Row quickestBatched = batched.stream().min(byLoneP50).orElseThrow();
        return String.format(Locale.ROOT, "| %s | %s, %,.1f/s, p50 %s | %s, %,.1f/s, p50 %s | %.2f | %.2f"
                        + " | %s, %s | %s, %s | %.2f |", model.title(),
                bestUnbatched.setup().label(), bestUnbatched.loaded().inferencesPerSecond(),
                LoadTable.duration(bestUnbatched.loaded().latencies().p50Nanos()),
                bestBatched.setup().label(), bestBatched.loaded().inferencesPerSecond(),
                LoadTable.duration(bestBatched.loaded().latencies().p50Nanos()),
                bestBatched.loaded().inferencesPerSecond() / bestUnbatched.loaded().inferencesPerSecond(),
                (double) bestBatched.loaded().latencies().p50Nanos() / bestUnbatched.loaded().latencies().p50Nanos(),
                quickestUnbatched.setup().label(), LoadTable.duration(quickestUnbatched.lone().latencies().p50Nanos()),
                quickestBatched.setup().label(), LoadTable.duration(quickestBatched.lone().latencies().p50Nanos()),
                (double) quickestBatched.lone().latencies().p50Nanos() / quickestUnbatched.lone().latencies().p50Nanos());
    }

    /** One line: the executor's mean time per row at batch 1 and at {@link #BATCH_ROWS}, one intra-op thread. */
    private String rowCosts(BatchedModel model) {
        try (CompiledModel compiled = runtime.open(model.file(), SessionConfig.builder().intraOpThreads(1).build())) {
            double single = meanNanosPerRow(compiled, model, 1);
            double batched = meanNanosPerRow(compiled, model, BATCH_ROWS);
            return String.format(Locale.ROOT, "| %s | %s | %s | %.2f |", model.title(),
                    LoadTable.duration(Math.round(single)), LoadTable.duration(Math.round(batched)), batched / single);
        }
    }

    private double meanNanosPerRow(CompiledModel compiled, BatchedModel model, long rows) {
        Map<String, long[]> shapes = model.shapes(rows);
        List<InputMetadata> metadata = compiled.inputs().stream().map(input -> new InputMetadata(input.name(),
                ((ValueType.TensorType) input.type()).elementType(), shapes.get(input.name()))).toList();
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (Tensor tensor : RemoteInputs.of(metadata, Map.of(), shapes)) {
            inputs.put(tensor.name(), tensor);
        }
        InferenceCall call = new InferenceCall() {
            @Override
            public void run() {
                compiled.run(inputs);
            }

            @Override
            public void close() {
                // The model belongs to the benchmark.
            }
        };
        LoadGenerator.Measurement measurement = new LoadGenerator(() -> call, 1, WARMUP_NANOS / 2, DURATION_NANOS / 2)
                .run(progress);
        return measurement.latencies().meanNanos() / rows;
    }

    private void printSummary(List<String> summaries, List<String> rowCosts) {
        out.println();
        out.println("| model | best unbatched at " + LOADED + " | best batched at " + LOADED
                + " | batched/unbatched requests/s | batched/unbatched p50 | quickest unbatched at " + LONE
                + " (p50) | quickest batched at " + LONE + " (p50) | batched/unbatched p50 at " + LONE + " |");
        out.println("| --- | --- | --- | ---: | ---: | --- | --- | ---: |");
        summaries.forEach(out::println);
        out.println();
        out.println("| model, executor, 1 thread | per row at batch 1 | per row at batch " + BATCH_ROWS
                + " | batch " + BATCH_ROWS + "/batch 1 |");
        out.println("| --- | ---: | ---: | ---: |");
        rowCosts.forEach(out::println);
    }
}
