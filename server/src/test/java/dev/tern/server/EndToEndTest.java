package dev.tern.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.tern.server.proto.GRPCInferenceServiceGrpc;
import dev.tern.server.proto.InferTensorContents;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import dev.tern.server.proto.ModelMetadataRequest;
import dev.tern.server.proto.ModelMetadataResponse;
import dev.tern.server.proto.ModelReadyRequest;
import dev.tern.server.proto.ModelStreamInferResponse;
import dev.tern.server.proto.RepositoryIndexRequest;
import dev.tern.server.proto.RepositoryIndexResponse;
import dev.tern.server.proto.ServerLiveRequest;
import dev.tern.server.proto.ServerMetadataRequest;
import dev.tern.server.proto.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Health, metadata and inference over real gRPC and HTTP clients on loopback, and in process. */
@ExtendWith(NoLeaks.class)
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float[] X = {1, 2, 3, -1, 0, 0.5f};

    @TempDir
    static Path repository;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        TestModels.standardRepository(repository);
        server = TestServer.start(repository);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void grpcHealthAndServerMetadata() {
        assertTrue(server.grpc.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(server.grpc.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertTrue(server.grpc.modelReady(ModelReadyRequest.newBuilder().setName("affine").build()).getReady());
        assertFalse(server.grpc.modelReady(ModelReadyRequest.newBuilder().setName("broken").build()).getReady());
        var metadata = server.grpc.serverMetadata(ServerMetadataRequest.getDefaultInstance());
        assertEquals("tern", metadata.getName());
        assertTrue(metadata.getExtensionsList().contains("model_repository"), metadata.toString());
    }

    @Test
    void grpcModelMetadata() {
        ModelMetadataResponse metadata = server.grpc.modelMetadata(
                ModelMetadataRequest.newBuilder().setName("affine").build());
        assertEquals("affine", metadata.getName());
        assertEquals(List.of("1", "2"), metadata.getVersionsList());
        assertEquals("onnxruntime_onnx", metadata.getPlatform());
        assertEquals("x", metadata.getInputs(0).getName());
        assertEquals("FP32", metadata.getInputs(0).getDatatype());
        assertEquals(List.of(-1L, 3L), metadata.getInputs(0).getShapeList());
        assertEquals("INT64", metadata.getInputs(1).getDatatype());
        assertEquals(List.of("y", "next"), metadata.getOutputsList().stream().map(o -> o.getName()).toList());
    }

    @Test
    void grpcInferWithTypedContents() {
        ModelInferResponse response = server.grpc.modelInfer(affineRequest().setId("req-7").build());
        assertEquals("affine", response.getModelName());
        assertEquals("2", response.getModelVersion());
        assertEquals("req-7", response.getId());
        assertEquals("y", response.getOutputs(0).getName());
        assertEquals(List.of(2L, 2L), response.getOutputs(0).getShapeList());
        assertArrayEquals(TestModels.affineExpected(X), floats(response.getRawOutputContents(0)));
        assertArrayEquals(new long[] {8, 10}, longs(response.getRawOutputContents(1)));
    }

    @Test
    void grpcInferWithRawContentsAndChosenOutputAndVersion() {
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("affine").setModelVersion("1");
        request.addInputsBuilder().setName("x").setDatatype("FP32").addShape(2).addShape(3);
        request.addInputsBuilder().setName("ids").setDatatype("INT64").addShape(2);
        request.addRawInputContents(rawFloats(X)).addRawInputContents(rawLongs(7, 9));
        request.addOutputsBuilder().setName("next");
        ModelInferResponse response = server.grpc.modelInfer(request.build());
        assertEquals("1", response.getModelVersion());
        assertEquals(1, response.getOutputsCount());
        assertEquals("next", response.getOutputs(0).getName());
        assertArrayEquals(new long[] {8, 10}, longs(response.getRawOutputContents(0)));
    }

    @Test
    void grpcInferWithBytes() {
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("strings");
        request.addInputsBuilder().setName("words").setDatatype("BYTES").addShape(2)
                .setContents(InferTensorContents.newBuilder()
                        .addBytesContents(ByteString.copyFromUtf8("héllo"))
                        .addBytesContents(ByteString.copyFromUtf8("")));
        ModelInferResponse response = server.grpc.modelInfer(request.build());
        ByteBuffer raw = response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] first = new byte[raw.getInt()];
        raw.get(first);
        assertEquals("héllo", new String(first, StandardCharsets.UTF_8));
        assertEquals(0, raw.getInt());
        assertFalse(raw.hasRemaining());
    }

    @Test
    void grpcStreamAnswersEachRequestAndCarriesErrorsInline() throws Exception {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceStub async = GRPCInferenceServiceGrpc.newStub(server.channel);
        List<ModelStreamInferResponse> responses = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ModelInferRequest> requests = async.modelStreamInfer(new StreamObserver<>() {
            @Override
            public void onNext(ModelStreamInferResponse response) {
                responses.add(response);
            }

            @Override
            public void onError(Throwable error) {
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        requests.onNext(affineRequest().build());
        requests.onNext(ModelInferRequest.newBuilder().setModelName("nosuch").build());
        requests.onNext(affineRequest().build());
        requests.onCompleted();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(3, responses.size());
        assertArrayEquals(TestModels.affineExpected(X),
                floats(responses.get(0).getInferResponse().getRawOutputContents(0)));
        assertTrue(responses.get(1).getErrorMessage().contains("no model 'nosuch'"), responses.get(1).toString());
        assertEquals("", responses.get(2).getErrorMessage());
    }

    @Test
    void grpcRepositoryIndexListsFailedModelWithReason() {
        RepositoryIndexResponse index = server.grpc.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
        var broken = index.getModelsList().stream().filter(m -> m.getName().equals("broken")).findFirst().orElseThrow();
        assertEquals("UNAVAILABLE", broken.getState());
        assertFalse(broken.getReason().isEmpty());
        long ready = index.getModelsList().stream().filter(m -> m.getState().equals("READY")).count();
        assertEquals(3, ready, index.toString());
        assertEquals(3, server.grpc.repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(true).build())
                .getModelsCount());
    }

    @Test
    void inProcessChannelTakesTheSamePath() throws Exception {
        ManagedChannel channel = NoLeaks.track(server.server.inProcessChannel());
        try {
            ModelInferResponse response = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                    .modelInfer(affineRequest().build());
            assertArrayEquals(TestModels.affineExpected(X), floats(response.getRawOutputContents(0)));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void restHealthAndMetadata() throws Exception {
        assertEquals(200, server.get("/v2/health/live").statusCode());
        assertEquals(200, server.get("/v2/health/ready").statusCode());
        assertEquals(200, server.get("/v2/models/affine/ready").statusCode());
        assertEquals(200, server.get("/v2/models/affine/versions/1/ready").statusCode());
        assertEquals(503, server.get("/v2/models/broken/ready").statusCode());
        JsonNode serverMetadata = JSON.readTree(server.get("/v2").body());
        assertEquals("tern", serverMetadata.get("name").asText());
        HttpResponse<String> model = server.get("/v2/models/affine/versions/1");
        assertEquals(200, model.statusCode(), model.body());
        JsonNode metadata = JSON.readTree(model.body());
        assertEquals("affine", metadata.get("name").asText());
        assertEquals("FP32", metadata.get("inputs").get(0).get("datatype").asText());
        assertEquals("[-1,3]", metadata.get("inputs").get(0).get("shape").toString());
    }

    @Test
    void restInferWithJson() throws Exception {
        HttpResponse<String> response = server.post("/v2/models/affine/infer", "{\"id\":\"a\",\"inputs\":["
                + "{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[[1,2,3],[-1,0,0.5]]},"
                + "{\"name\":\"ids\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[7,9]}]}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("a", body.get("id").asText());
        assertEquals("2", body.get("model_version").asText());
        JsonNode y = body.get("outputs").get(0);
        assertEquals("y", y.get("name").asText());
        assertEquals("[2,2]", y.get("shape").toString());
        float[] expected = TestModels.affineExpected(X);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], y.get("data").get(i).floatValue(), 1e-6);
        }
        assertEquals("[8,10]", body.get("outputs").get(1).get("data").toString());
    }

    @Test
    void restInferWithBinaryTensorExtension() throws Exception {
        String header = "{\"inputs\":["
                + "{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":24}},"
                + "{\"name\":\"ids\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[7,9]}],"
                + "\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":true}},{\"name\":\"next\"}]}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(json.length + 24).put(json).put(rawFloats(X).toByteArray()).array();
        HttpResponse<byte[]> response = server.http.send(HttpRequest.newBuilder(server.uri("/v2/models/affine/infer"))
                .header("Inference-Header-Content-Length", Integer.toString(json.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        int jsonLength = Integer.parseInt(response.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode answer = JSON.readTree(new String(response.body(), 0, jsonLength, StandardCharsets.UTF_8));
        assertEquals(16, answer.get("outputs").get(0).get("parameters").get("binary_data_size").asInt());
        assertEquals("[8,10]", answer.get("outputs").get(1).get("data").toString());
        ByteString binary = ByteString.copyFrom(response.body(), jsonLength, response.body().length - jsonLength);
        assertArrayEquals(TestModels.affineExpected(X), floats(binary));
    }

    @Test
    void restRepositoryIndex() throws Exception {
        HttpResponse<String> response = server.post("/v2/repository/index", "{}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode index = JSON.readTree(response.body());
        assertEquals(4, index.size(), response.body());
        assertEquals("affine", index.get(0).get("name").asText());
    }

    static ModelInferRequest.Builder affineRequest() {
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("affine");
        InferTensorContents.Builder x = InferTensorContents.newBuilder();
        for (float value : X) {
            x.addFp32Contents(value);
        }
        request.addInputsBuilder().setName("x").setDatatype("FP32").addShape(2).addShape(3).setContents(x);
        request.addInputsBuilder().setName("ids").setDatatype("INT64").addShape(2)
                .setContents(InferTensorContents.newBuilder().addInt64Contents(7).addInt64Contents(9));
        return request;
    }

    static float[] floats(ByteString raw) {
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[buffer.remaining() / 4];
        buffer.asFloatBuffer().get(values);
        return values;
    }

    static long[] longs(ByteString raw) {
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] values = new long[buffer.remaining() / 8];
        buffer.asLongBuffer().get(values);
        return values;
    }

    static ByteString rawFloats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return ByteString.copyFrom(buffer);
    }

    static ByteString rawLongs(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        return ByteString.copyFrom(buffer);
    }
}
