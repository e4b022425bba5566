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
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Whether dynamic batching ever costs (tools/bench.sh batching): for each model, every
 * instance x intra-op thread setup of {@link ServingSetup#grid} is served unbatched and then
 * batched, one server at a time in this JVM on free loopback ports, and called over gRPC at
 * concurrency 32 and 1. The best unbatched setup (requests/s at 32, p50 at 1) is what batching
 * must beat; the batched/best-unbatched ratios of requests/s and p50 follow, then each model's
 * cost per row at batch 1 and 16 straight through the executor ({@link CompiledModel#run}, one
 * intra-op thread), which is what batching can save at most. Models: the 64-128-10 digits MLP
 * ({@link ModelTemplates#mlp}), the int8 and the fp32 all-MiniLM-L6-v2 at 32 tokens. With
 * several rounds, each setup's medians are compared too, and with duels the best unbatched and
 * best batched setups of those medians are measured again head to head.
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

    /** One setup's gRPC measurements under load (requests/s, p50, p99) and alone (requests/s, p50), or their medians. */
    private record Row(ServingSetup setup, double loadedPerSecond, long loadedP50, long loadedP99,
                       double lonePerSecond, long loneP50, long failures) {
        static Row of(ServingSetup setup, LoadGenerator.Measurement loaded, LoadGenerator.Measurement lone) {
            return new Row(setup, loaded.inferencesPerSecond(), loaded.latencies().p50Nanos(),
                    loaded.latencies().p99Nanos(), lone.inferencesPerSecond(), lone.latencies().p50Nanos(),
                    loaded.failures() + lone.failures());
        }

        /** Each figure's median over {@code rounds}, all of one setup; failures summed. */
        static Row median(List<Row> rounds) {
            return new Row(rounds.get(0).setup(), median(rounds, Row::loadedPerSecond),
                    Math.round(median(rounds, row -> row.loadedP50())), Math.round(median(rounds, row -> row.loadedP99())),
                    median(rounds, Row::lonePerSecond), Math.round(median(rounds, row -> row.loneP50())),
                    rounds.stream().mapToLong(Row::failures).sum());
        }

        private static double median(List<Row> rounds, ToDoubleFunction<Row> figure) {
            return BatchingBenchmark.median(rounds.stream().map(figure::applyAsDouble).toList());
        }
    }

    private static final Comparator<Row> BY_THROUGHPUT = Comparator.comparingDouble(Row::loadedPerSecond);

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
     * {@code --rounds R} (the grid measured R times, default 1; with more, each round's summary,
     * the median of the rounds' ratios, and each setup's median over the rounds with the best
     * of those medians compared, so that one noisy measurement cannot decide).
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> chosen = List.of("mlp", "int8", "fp32");
        int rounds = 1;
        int duels = 0;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--models" -> chosen = List.of(args[i + 1].split(","));
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--duels" -> duels = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + ", expected --models mlp,int8,fp32, --rounds R or --duels D");
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
                summaries.addAll(benchmark.compare(model, rounds, duels));
                rowCosts.add(benchmark.rowCosts(model));
            }
            benchmark.printSummary(summaries, rowCosts);
        } finally {
            deleteTree(work);
        }
    }

    /**
     * Measures {@code model}'s grid {@code rounds} times and then, with {@code duels} above 0,
     * the best unbatched setup against the best batched one head to head; returns the summary
     * lines: one per round, and with several rounds one of the setups' medians and one of the duel.
     */
    private List<String> compare(BatchedModel model, int rounds, int duels)
            throws IOException, InterruptedException {
        List<String> summaries = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        Map<ServingSetup, List<Row>> bySetup = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            List<Row> rows = measureGrid(model, round % 2 == 0);
            rows.forEach(row -> bySetup.computeIfAbsent(row.setup(), setup -> new ArrayList<>()).add(row));
            summaries.add(summary(model, rows) + (rounds > 1 ? " (round " + round + ")" : ""));
            ratios.add(throughputRatio(rows));
        }
        List<Row> medians = bySetup.values().stream().map(Row::median).toList();
        if (rounds > 1) {
            printTable(model.title() + ", median of " + rounds + " rounds", medians);
            summaries.add(summary(model, medians) + " (setup medians of " + rounds + " rounds)");
            out.println(String.format(Locale.ROOT, "%s: batched/unbatched requests/s by round %s, median %.2f;"
                    + " best of the setups' medians %.2f", model.title(), ratios.stream()
                    .map(ratio -> String.format(Locale.ROOT, "%.2f", ratio)).toList(), median(ratios),
                    throughputRatio(medians)));
        }
        if (duels > 0) {
            summaries.add(duel(model, best(medians, false).setup(), best(medians, true).setup(), duels));
        }
        return summaries;
    }

    /**
     * The best unbatched and the best batched setup measured again, alternately, {@code pairs}
     * times each at concurrency 32 (which one goes first swapped every pair): fresh measurements,
     * free of the luck of having picked the highest of several noisy ones. Each measurement also
     * splits the CPU per request between the server's threads and everything else (the client
     * above all), since the two share the cores. Returns a summary line with the median of the
     * pairs' batched/unbatched ratios.
     */
    private String duel(BatchedModel model, ServingSetup unbatched, ServingSetup batched, int pairs)
            throws IOException, InterruptedException {
        out.println();
        out.println("| " + model.title() + ", head to head | " + unbatched.label() + ": requests/s at " + LOADED
                + ", server CPU per request, other CPU per request | " + batched.label() + ": the same"
                + " | batched/unbatched requests/s |");
        out.println("| --- | --- | --- | ---: |");
        List<LoadedRun> unbatchedRuns = new ArrayList<>();
        List<LoadedRun> batchedRuns = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int pair = 1; pair <= pairs; pair++) {
            boolean batchedFirst = pair % 2 == 0;
            LoadedRun first = measureLoaded(model, batchedFirst ? batched : unbatched);
            LoadedRun second = measureLoaded(model, batchedFirst ? unbatched : batched);
            LoadedRun batchedRun = batchedFirst ? first : second;
            LoadedRun unbatchedRun = batchedFirst ? second : first;
            unbatchedRuns.add(unbatchedRun);
            batchedRuns.add(batchedRun);
            ratios.add(batchedRun.perSecond() / unbatchedRun.perSecond());
            out.println(String.format(Locale.ROOT, "| pair %d | %s | %s | %.2f |", pair, unbatchedRun, batchedRun,
                    batchedRun.perSecond() / unbatchedRun.perSecond()));
        }
        LoadedRun unbatchedMedian = LoadedRun.median(unbatchedRuns);
        LoadedRun batchedMedian = LoadedRun.median(batchedRuns);
        out.println(String.format(Locale.ROOT, "| median | %s | %s | %.2f |", unbatchedMedian, batchedMedian,
                median(ratios)));
        return String.format(Locale.ROOT, "| %s | %s, %,.1f/s | %s, %,.1f/s | %.2f | | | | | (head to head, median of %d"
                        + " pairs, ratios %.2f to %.2f; server CPU per request %.1f us unbatched, %.1f us batched)",
                model.title(), unbatched.label(), unbatchedMedian.perSecond(), batched.label(),
                batchedMedian.perSecond(), median(ratios), pairs,
                ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                unbatchedMedian.serverMicros(), batchedMedian.serverMicros());
    }

    /** One measurement under load: requests/s, and CPU microseconds per request of the server's threads and of the rest. */
    private record LoadedRun(double perSecond, double serverMicros, double otherMicros) {
        static LoadedRun median(List<LoadedRun> runs) {
            return new LoadedRun(BatchingBenchmark.median(runs.stream().map(LoadedRun::perSecond).toList()),
                    BatchingBenchmark.median(runs.stream().map(LoadedRun::serverMicros).toList()),
                    BatchingBenchmark.median(runs.stream().map(LoadedRun::otherMicros).toList()));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.1f/s, %.1f us, %.1f us", perSecond, serverMicros, otherMicros);
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
     * setup unbatched and batched back to back, so that a drift in the machine's load falls on
     * the two alike, and in the other order when {@code batchedFirst} (odd and even rounds), so
     * that neither always runs on the warmer machine. The first setup is served once unmeasured
     * before, so that the JIT's warmup of the client and server code does not fall on the first row.
     */
    private List<Row> measureGrid(BatchedModel model, boolean batchedFirst)
            throws IOException, InterruptedException {
        List<ServingSetup> unbatched = ServingSetup.grid();
        measure(model, unbatched.get(0));
        List<Row> rows = new ArrayList<>();
        printHeader(model.title());
        for (ServingSetup setup : unbatched) {
            List<ServingSetup> pair = batchedFirst ? List.of(setup.batching(), setup) : List.of(setup, setup.batching());
            for (ServingSetup served : pair) {
                Row row = measure(model, served);
                rows.add(row);
                printRow(row);
            }
        }
        return rows;
    }

    private void printTable(String title, List<Row> rows) {
        printHeader(title);
        rows.forEach(this::printRow);
    }

    private void printHeader(String title) {
        out.println();
        out.println("| " + title + " | requests/s at " + LOADED + " | p50 at " + LOADED + " | p99 at " + LOADED
                + " | requests/s at " + LONE + " | p50 at " + LONE + " | failed |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    }

    private void printRow(Row row) {
        out.println(String.format(Locale.ROOT, "| %s | %,.1f | %s | %s | %,.1f | %s | %d |", row.setup().label(),
                row.loadedPerSecond(), LoadTable.duration(row.loadedP50()), LoadTable.duration(row.loadedP99()),
                row.lonePerSecond(), LoadTable.duration(row.loneP50()), row.failures()));
    }

    /**
     * Serves {@code model} alone under {@code setup} and calls it over gRPC, under load and then
     * alone. Each setup gets a fresh server reading the setup's config.json beside the one copy
     * of the model's file.
     */
    private Row measure(BatchedModel model, ServingSetup setup) throws IOException, InterruptedException {
        try (Served served = serve(model, setup)) {
            return Row.of(setup, served.call(LOADED), served.call(LONE));
        }
    }

    /**
     * As {@link #measure}, under load only, with the CPU the server's threads and the rest used
     * per request while measured (after the warmup).
     */
    private LoadedRun measureLoaded(BatchedModel model, ServingSetup setup) throws IOException, InterruptedException {
        try (Served served = serve(model, setup)) {
            served.warmUp(LOADED);
            ServerCpu before = ServerCpu.now();
            LoadGenerator.Measurement loaded = served.measure(LOADED);
            ServerCpu after = ServerCpu.now();
            double requests = loaded.latencies().count();
            return new LoadedRun(loaded.inferencesPerSecond(), after.serverMicrosPerRequest(before, requests),
                    after.otherMicrosPerRequest(before, requests));
        }
    }

    private Served serve(BatchedModel model, ServingSetup setup) throws IOException, InterruptedException {
        Path served = work.resolve(REPOSITORY).resolve(SERVED);
        Path version = Files.createDirectories(served.resolve("1"));
        Files.copy(model.file(), version.resolve(MODEL_FILE), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(served.resolve("config.json"), setup.configJson(model.batching()));
        InferenceServer server = InferenceServer.builder().modelRepository(work.resolve(REPOSITORY))
                .runtime(runtime).httpPort(0).grpcPort(0).start();
        ServerConnection grpc = null;
        try {
            grpc = new GrpcConnection("127.0.0.1", server.grpcPort(), SERVED, "");
            return new Served(server, grpc, RemoteInputs.of(grpc.inputs(), Map.of(), model.shapes(1)));
        } catch (RuntimeException e) {
            if (grpc != null) {
                grpc.close();
            }
            server.close();
            throw e;
        }
    }

    /** A server of one setup and a gRPC connection to it, with the one-row request to send. */
    private final class Served implements AutoCloseable {
        private final InferenceServer server;
        private final ServerConnection grpc;
        private final List<Tensor> inputs;

        Served(InferenceServer server, ServerConnection grpc, List<Tensor> inputs) {
            this.server = server;
            this.grpc = grpc;
            this.inputs = inputs;
        }

        /** Warms up, then measures {@code concurrency} callers sending the request back to back. */
        LoadGenerator.Measurement call(int concurrency) {
            return new LoadGenerator(calls(), concurrency, WARMUP_NANOS, DURATION_NANOS).run(progress);
        }

        /** {@code concurrency} callers sending the request back to back for the warmup time, unmeasured. */
        void warmUp(int concurrency) {
            new LoadGenerator(calls(), concurrency, 0, WARMUP_NANOS).run(progress);
        }

        /** As {@link #call}, without a warmup of its own. */
        LoadGenerator.Measurement measure(int concurrency) {
            return new LoadGenerator(calls(), concurrency, 0, DURATION_NANOS).run(progress);
        }

        private Supplier<InferenceCall> calls() {
            return () -> grpc.newCall(inputs);
        }

        @Override
        public void close() {
            try (InferenceServer closing = server) {
                grpc.close();
            }
        }
    }

    /** The best batched setup's requests/s at concurrency 32 over the best unbatched setup's. */
    private static double throughputRatio(List<Row> rows) {
        return best(rows, true).loadedPerSecond() / best(rows, false).loadedPerSecond();
    }

    /** The batched (or unbatched) row with the most requests/s at concurrency 32. */
    private static Row best(List<Row> rows, boolean batched) {
        return rows.stream().filter(row -> row.setup().batched() == batched).max(BY_THROUGHPUT).orElseThrow();
    }

    /** The batched (or unbatched) row with the lowest p50 at concurrency 1. */
    private static Row quickest(List<Row> rows, boolean batched) {
        return rows.stream().filter(row -> row.setup().batched() == batched)
                .min(Comparator.comparingLong(Row::loneP50)).orElseThrow();
    }

    /**
     * One summary line: the best unbatched and best batched setups under load (requests/s) and
     * alone (p50), and batched over best unbatched for each.
     */
    private String summary(BatchedModel model, List<Row> rows) {
        Row bestUnbatched = best(rows, false);
        Row bestBatched = best(rows, true);
        Row quickestUnbatched = quickest(rows, false);
        Row quickestBatched = quickest(rows, true);
        return String.format(Locale.ROOT, "| %s | %s, %,.1f/s, p50 %s | %s, %,.1f/s, p50 %s | %.2f | %.2f"
                        + " | %s, %s | %s, %s | %.2f |", model.title(),
                bestUnbatched.setup().label(), bestUnbatched.loadedPerSecond(), LoadTable.duration(bestUnbatched.loadedP50()),
                bestBatched.setup().label(), bestBatched.loadedPerSecond(), LoadTable.duration(bestBatched.loadedP50()),
                bestBatched.loadedPerSecond() / bestUnbatched.loadedPerSecond(),
                (double) bestBatched.loadedP50() / bestUnbatched.loadedP50(),
                quickestUnbatched.setup().label(), LoadTable.duration(quickestUnbatched.loneP50()),
                quickestBatched.setup().label(), LoadTable.duration(quickestBatched.loneP50()),
                (double) quickestBatched.loneP50() / quickestUnbatched.loneP50());
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
