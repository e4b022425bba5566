package dev.tern.bench;

import dev.tern.cli.internal.ExampleModel;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.InferenceServer;
import dev.tern.server.proto.GRPCInferenceServiceGrpc;
import dev.tern.server.proto.InferTensorContents;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of one inference of the example MLP ({@code tern serve}'s model, FP32[1,4] in,
 * FP32[1,3] out) through each layer the server adds, one caller at a time:
 * <ul>
 *   <li>{@link #executor}: {@code CompiledModel.run}, no server at all;
 *   <li>{@link #service}: the server's {@code InferenceService}, no transport (tensor checks and conversions);
 *   <li>{@link #grpc}: grpc-java over loopback (Netty on both sides, direct executors);
 *   <li>{@link #rest}: JSON over HTTP/1.1 on loopback with {@code java.net.http}.
 * </ul>
 * Sample-time mode reports percentiles; p50 is the number to compare.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ServingBenchmark {
    private static final float[] X = {1, 2, 3, 4};

    private Path repository;
    private Runtime runtime;
    private CompiledModel model;
    private InferenceServer server;
    private ManagedChannel channel;
    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;
    private HttpClient http;
    private HttpRequest restRequest;
    private ModelInferRequest request;
    private Map<String, Tensor> executorInputs;

    @Setup
    public void start() throws IOException, InterruptedException {
        repository = ExampleModel.writeRepository(Files.createTempDirectory("tern-serving-bench-"));
        runtime = Runtime.create();
        model = runtime.open(repository.resolve(ExampleModel.NAME).resolve("1").resolve("model.onnx"));
        executorInputs = Map.of("x", Tensor.ofFloats("x", new long[] {1, 4}, X));
        server = InferenceServer.builder().modelRepository(repository).runtime(runtime)
                .httpPort(0).grpcPort(0).start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().directExecutor()
                .build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (float value : X) {
            contents.addFp32Contents(value);
        }
        ModelInferRequest.Builder builder = ModelInferRequest.newBuilder().setModelName(ExampleModel.NAME);
        builder.addInputsBuilder().setName("x").setDatatype("FP32").addShape(1).addShape(4).setContents(contents);
        request = builder.build();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        restRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/"
                + ExampleModel.NAME + "/infer")).POST(HttpRequest.BodyPublishers.ofString(ExampleModel.CURL_BODY))
                .build();
    }

    @TearDown
    public void stop() throws InterruptedException, IOException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.close();
        model.close();
        runtime.close();
        try (Stream<Path> paths = Files.walk(repository)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Benchmark
    public Map<String, Tensor> executor() {
        return model.run(executorInputs);
    }

    @Benchmark
    public ModelInferResponse service() {
        return server.service().modelInfer(request, Deadline.none()).join();
    }

    @Benchmark
    public ModelInferResponse grpc() {
        return stub.modelInfer(request);
    }

    @Benchmark
    public String rest() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(restRequest, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("REST inference failed: " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
