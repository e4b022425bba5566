package dev.tern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.cli.Tern;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes and KServe manifests and the image recipe in {@code deploy/}: every manifest
 * parses, the pieces that must agree do (ports, probes, runtime names), and {@code tern serve}
 * started with a manifest's arguments answers its probes and Prometheus on the HTTP port.
 */
class DeployManifestsTest {
    @TempDir
    Path repository;

    /** A repository holding one small model, "relu" version 1. */
    private Path repositoryWithAModel() throws IOException {
        GraphBuilder g = GraphBuilder.create("relu");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(4));
        g.output(g.op("Relu", x), "y");
        Path version = Files.createDirectories(repository.resolve("relu").resolve("1"));
        OnnxExporter.write(g.toModel(17), version.resolve("model.onnx"));
        return repository;
    }

    @Test
    void everyManifestIsAKubernetesObject() throws IOException {
        List<Manifest> manifests = Manifest.all();
        assertEquals(Set.of("ClusterServingRuntime", "InferenceService", "Deployment", "Service"),
                new HashSet<>(manifests.stream().map(Manifest::kind).toList()));
        for (Manifest manifest : manifests) {
            assertFalse(manifest.at("apiVersion").asText().isEmpty(), manifest::toString);
            assertFalse(manifest.at("metadata/name").asText().isEmpty(), manifest::toString);
        }
    }

    @Test
    void theServingRuntimeServesOnnxOverV2AndItsProbesAnswer() throws Exception {
        Manifest runtime = Manifest.only("ClusterServingRuntime");
        assertEquals("onnx", runtime.at("spec/supportedModelFormats/0/name").asText());
        assertEquals(List.of("v2", "grpc-v2"), runtime.strings("spec/protocolVersions"));
        JsonNode container = runtime.at("spec/containers/0");
        assertEquals("kserve-container", container.path("name").asText());
        List<String> args = runtime.strings("spec/containers/0/args");
        assertEquals("/mnt/models", after(args, "--model-repository"), "KServe's model mount");
        String httpPort = after(args, "--http-port");
        assertEquals(httpPort, runtime.at("spec/annotations").path("prometheus.kserve.io/port").asText(),
                "Prometheus scrapes the HTTP port");
        assertEquals(httpPort, container.path("livenessProbe").path("httpGet").path("port").asText());
        assertEquals(httpPort, container.path("readinessProbe").path("httpGet").path("port").asText());
        assertEquals(List.of(httpPort, after(args, "--grpc-port")),
                List.of(container.path("ports").path(0).path("containerPort").asText(),
                        container.path("ports").path(1).path("containerPort").asText()));
        try (ServeWithArgs serve = new ServeWithArgs(args, repositoryWithAModel())) {
            assertEquals("0.0.0.0", serve.host());
            assertAnswers(serve, container.path("livenessProbe").path("httpGet").path("path").asText());
            assertAnswers(serve, container.path("readinessProbe").path("httpGet").path("path").asText());
            assertScrapable(serve, runtime.at("spec/annotations").path("prometheus.kserve.io/path").asText());
            assertAnswers(serve, "/v2/models/relu/ready");
        }
    }

    @Test
    void theInferenceServiceNamesTheRuntimeAndItsFormat() throws IOException {
        Manifest service = Manifest.only("InferenceService");
        assertEquals(Manifest.only("ClusterServingRuntime").at("metadata/name").asText(),
                service.at("spec/predictor/model/runtime").asText());
        assertEquals("onnx", service.at("spec/predictor/model/modelFormat/name").asText());
        assertEquals("v2", service.at("spec/predictor/model/protocolVersion").asText());
    }

    @Test
    void theDeploymentServesWithItsArgumentsAndItsServiceReachesItsPorts() throws Exception {
        Manifest deployment = Manifest.only("Deployment");
        JsonNode pod = deployment.at("spec/template");
        JsonNode container = pod.path("spec").path("containers").path(0);
        List<String> args = deployment.strings("spec/template/spec/containers/0/args");
        String httpPort = after(args, "--http-port");
        assertEquals(httpPort, pod.path("metadata").path("annotations").path("prometheus.io/port").asText());
        Set<String> portNames = new HashSet<>();
        for (JsonNode port : container.path("ports")) {
            portNames.add(port.path("name").asText());
            String declared = port.path("containerPort").asText();
            assertTrue(declared.equals(httpPort) || declared.equals(after(args, "--grpc-port")), declared);
        }
        for (JsonNode port : Manifest.only("Service").at("spec/ports")) {
            assertTrue(portNames.contains(port.path("targetPort").asText()), port.toString());
        }
        assertEquals(deployment.at("spec/selector/matchLabels"), pod.path("metadata").path("labels"));
        assertEquals(deployment.at("spec/selector/matchLabels"), Manifest.only("Service").at("spec/selector"));
        try (ServeWithArgs serve = new ServeWithArgs(args, repositoryWithAModel())) {
            assertEquals("0.0.0.0", serve.host());
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertEquals("http", container.path(probe).path("httpGet").path("port").asText(), probe);
                assertAnswers(serve, container.path(probe).path("httpGet").path("path").asText());
            }
            assertScrapable(serve, pod.path("metadata").path("annotations").path("prometheus.io/path").asText());
        }
    }

    /** The image's default command line is one {@code tern} accepts, and serves every interface. */
    @Test
    void theImageRecipesDefaultCommandParses() throws IOException {
        String cmd = Files.readAllLines(Manifest.DEPLOY.resolve("Dockerfile")).stream()
                .filter(line -> line.startsWith("CMD ")).findFirst().orElseThrow().substring(4);
        List<String> args = List.of(new ObjectMapper().readValue(cmd, String[].class));
        Tern.newCommandLine().parseArgs(args.toArray(new String[0]));
        assertEquals("serve", args.get(0));
        assertEquals("0.0.0.0", after(args, "--host"));
    }

    private static String after(List<String> args, String option) {
        int index = args.indexOf(option);
        assertTrue(index >= 0 && index + 1 < args.size(), () -> option + " with a value in " + args);
        return args.get(index + 1);
    }

    private static void assertAnswers(ServeWithArgs serve, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = serve.get(path);
        assertEquals(200, response.statusCode(), () -> path + ": " + response.body());
    }

    /** After one inference (the server's metrics start with its first request), {@code path} serves Prometheus text. */
    private static void assertScrapable(ServeWithArgs serve, String path) throws IOException, InterruptedException {
        HttpResponse<String> inferred = serve.post("/v2/models/relu/infer",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[-1,2,-3,4]}]}");
        assertEquals(200, inferred.statusCode(), inferred::body);
        assertTrue(inferred.body().replace(" ", "").contains("\"data\":[0.0,2.0,0.0,4.0]"), inferred::body);
        HttpResponse<String> response = serve.get(path);
        assertEquals(200, response.statusCode(), path);
        assertTrue(response.body().contains("# TYPE "), () -> path + " is not Prometheus text: " + response.body());
    }
}
