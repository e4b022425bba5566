package dev.tern.bench;

import com.google.protobuf.ByteString;
import dev.tern.server.proto.GRPCInferenceServiceGrpc;
import dev.tern.server.proto.InferParameter;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One server process serving MiniLM with {@value #ADAPTERS} LoRA adapters against one serving
 * {@value #ADAPTERS} MiniLMs with those adapters merged in (tools/bench.sh adapters): the
 * resident memory of each server process after loading and serving, and the latency of one
 * request with an adapter against one to the merged model. Both servers are {@code tern serve}
 * processes of their own with the same heap settings, up at the same time; requests go one at
 * a time over gRPC, alternating between the two servers and among the targets, so that both
 * see the same machine load. The repositories are written first by {@link AdapterRepositories}.
 *
 * <pre>java -cp tools/target/tern.jar dev.tern.bench.AdapterServingBenchmark [ROUNDS]</pre>
 */
public final class AdapterServingBenchmark {
    static final int ADAPTERS = 3;
    private static final Path MINILM = Path.of("tools/target/models/all-minilm-l6-v2.onnx");
    private static final int SEQUENCE_LENGTH = 32;
    private static final int WARMUP_ROUNDS = 20;
    private static final int DEFAULT_ROUNDS = 200;
    private static final String SERVER_HEAP = "-Xmx512m";

    private AdapterServingBenchmark() {
    }

    /** One kind of request: a model on one of the servers, with an adapter or without (null). */
    private record Target(String label, ServerProcess server, String model, String adapter) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
        RetainedHeap.requireModel(MINILM.toString());
        Path folder = Files.createTempDirectory("tern-adapter-bench");
        System.out.println("writing the repositories into " + folder + " ...");
        AdapterRepositories.write(MINILM, folder, ADAPTERS);
        List<String> names = AdapterRepositories.names(ADAPTERS);
        try (ServerProcess lora = ServerProcess.start(folder.resolve("lora"), SERVER_HEAP, folder.resolve("lora.log"));
             ServerProcess merged = ServerProcess.start(folder.resolve("merged"), SERVER_HEAP,
                     folder.resolve("merged.log"))) {
            lora.awaitReady(List.of(AdapterRepositories.BASE_MODEL));
            merged.awaitReady(names.stream().map(AdapterRepositories::mergedModel).toList());
            List<Target> targets = new ArrayList<>();
            targets.add(new Target("base, no adapter", lora, AdapterRepositories.BASE_MODEL, null));
            for (String name : names) {
                targets.add(new Target("base + adapter " + name, lora, AdapterRepositories.BASE_MODEL, name));
                targets.add(new Target("merged " + name, merged, AdapterRepositories.mergedModel(name), null));
            }
            Map<Target, long[]> latencies = measure(targets, rounds);
            report(lora, merged, names, latencies, rounds);
        }
        // Kept when the run fails, for the servers' logs.
        deleteRecursively(folder);
    }

    /** Warms up, then times {@code rounds} requests per target, interleaved; nanoseconds per request. */
    private static Map<Target, long[]> measure(List<Target> targets, int rounds) {
        ModelInferRequest.Builder plain = request();
        for (int round = 0; round < WARMUP_ROUNDS; round++) {
            targets.forEach(target -> call(target, plain));
        }
        Map<Target, long[]> latencies = new LinkedHashMap<>();
        targets.forEach(target -> latencies.put(target, new long[rounds]));
        for (int round = 0; round < rounds; round++) {
            for (Target target : targets) {
                long start = System.nanoTime();
                call(target, plain);
                latencies.get(target)[round] = System.nanoTime() - start;
            }
        }
        return latencies;
    }

    private static void call(Target target, ModelInferRequest.Builder plain) {
        ModelInferRequest.Builder request = plain.clone().setModelName(target.model());
        if (target.adapter() != null) {
            request.putParameters("adapter", InferParameter.newBuilder().setStringParam(target.adapter()).build());
        }
        target.server().stub().modelInfer(request.build());
    }

    private static void report(ServerProcess lora, ServerProcess merged, List<String> names,
                               Map<Target, long[]> latencies, int rounds) throws IOException {
        ProcMemory loraMemory = ProcMemory.of(lora.pid());
        ProcMemory mergedMemory = ProcMemory.of(merged.pid());
        System.out.println();
        System.out.printf(Locale.ROOT, "%s, %d cores; all-MiniLM-L6-v2 fp32, [1,%d] tokens per request, %d rounds"
                + " of one request per target, gRPC%n", System.getProperty("os.arch"),
                java.lang.Runtime.getRuntime().availableProcessors(), SEQUENCE_LENGTH, rounds);
        System.out.println();
        System.out.println("| server process | resident MiB | anonymous MiB | file-backed MiB |");
        System.out.println("| --- | ---: | ---: | ---: |");
        memoryRow("base MiniLM + " + ADAPTERS + " adapters (rank " + AdapterRepositories.RANK + ")", loraMemory);
        memoryRow(ADAPTERS + " merged MiniLMs", mergedMemory);
        System.out.printf(Locale.ROOT, "%nresident memory, adapters / merged: %.2f%n%n",
                (double) loraMemory.rssKiB() / mergedMemory.rssKiB());
        System.out.println("| target | median ms | p90 ms |");
        System.out.println("| --- | ---: | ---: |");
        latencies.forEach((target, nanos) -> System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n",
                target.label(), millis(percentile(nanos, 50)), millis(percentile(nanos, 90))));
        System.out.println();
        List<long[]> allAdapters = new ArrayList<>();
        List<long[]> allMerged = new ArrayList<>();
        for (String name : names) {
            long[] adapter = find(latencies, "base + adapter " + name);
            long[] mergedModel = find(latencies, "merged " + name);
            allAdapters.add(adapter);
            allMerged.add(mergedModel);
            System.out.printf(Locale.ROOT, "median latency, adapter %s / merged %s: %.2f%n", name, name,
                    (double) percentile(adapter, 50) / percentile(mergedModel, 50));
        }
        System.out.printf(Locale.ROOT, "median latency, every adapter request / every merged request: %.2f%n",
                (double) percentile(concat(allAdapters), 50) / percentile(concat(allMerged), 50));
    }

    private static long[] concat(List<long[]> parts) {
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void memoryRow(String label, ProcMemory memory) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", label, memory.rssMiB(), memory.anonMiB(),
                memory.fileMiB());
    }

    private static long[] find(Map<Target, long[]> latencies, String label) {
        return latencies.entrySet().stream().filter(entry -> entry.getKey().label().equals(label))
                .findFirst().orElseThrow().getValue();
    }

    private static long percentile(long[] nanos, int percent) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** MiniLM's three inputs for one sequence of random tokens, as raw little-endian int64. */
    private static ModelInferRequest.Builder request() {
        Random random = new Random(1);
        long[] ids = new long[SEQUENCE_LENGTH];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1000 + random.nextInt(20_000);
        }
        long[] ones = new long[SEQUENCE_LENGTH];
        Arrays.fill(ones, 1);
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder();
        addInput(request, "input_ids", ids);
        addInput(request, "attention_mask", ones);
        addInput(request, "token_type_ids", new long[SEQUENCE_LENGTH]);
        return request;
    }

    private static void addInput(ModelInferRequest.Builder request, String name, long[] values) {
        request.addInputsBuilder().setName(name).setDatatype("INT64").addShape(1).addShape(values.length);
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        request.addRawInputContents(ByteString.copyFrom(raw));
    }

    /** A {@code tern serve} child process on free loopback ports, with a gRPC channel to it; closing stops both. */
    private record ServerProcess(Process process, ManagedChannel channel,
                                 GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub)
            implements AutoCloseable {
        static ServerProcess start(Path repository, String heap, Path log) throws IOException {
            int grpcPort = freePort();
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, heap, "-cp", System.getProperty("java.class.path"),
                    "dev.tern.cli.Tern", "serve", "--model-repository", repository.toString(), "--host", "127.0.0.1",
                    "--http-port", "0", "--grpc-port", Integer.toString(grpcPort))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext()
                    .maxInboundMessageSize(Integer.MAX_VALUE).build();
            return new ServerProcess(process, channel, GRPCInferenceServiceGrpc.newBlockingStub(channel));
        }

        long pid() {
            return process.pid();
        }

        /** Waits up to five minutes for every one of {@code models} to be ready. */
        void awaitReady(List<String> models) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            for (String model : models) {
                while (!isReady(model)) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("the server for " + model + " never became ready"
                                + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
                    }
                    Thread.sleep(200);
                }
            }
        }

        private boolean isReady(String model) {
            try {
                return stub.modelReady(ModelReadyRequest.newBuilder().setName(model).build()).getReady();
            } catch (StatusRuntimeException e) {
                return false;
            }
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
