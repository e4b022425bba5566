package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.data.TextTokenizer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text models through {@code tern serve}: a version with a {@code tokenizer.json} takes a BYTES
 * input "text" over REST, tokenized by the server exactly as by {@link TextTokenizer} in Java;
 * its limit comes from the model's fixed sequence length or {@code max_sequence_length}, and a
 * longer text is refused.
 */
class TextServingTest {
    private static final List<String> SENTENCES = List.of("The console sends text to the server.", "Short one.");

    @TempDir
    Path repository;

    @Test
    void miniLmOnTextEqualsTokenizingInJavaAndRunningTheModel() throws Exception {
        Path version = MiniLmRepository.write(repository, "minilm");
        try (ServeRun serve = new ServeRun("--model-repository", repository.toString())) {
            assertEquals(Map.of("text_input", "text", "max_tokens", (long) MiniLmRepository.MAX_TOKENS),
                    object(serve.get("/v2/models/minilm").body()).get("parameters"));

            HttpResponse<String> answer = serve.post("/v2/models/minilm/infer", textRequest(SENTENCES));
            assertEquals(200, answer.statusCode(), answer.body());
            List<Map<String, Object>> outputs = objects(object(answer.body()).get("outputs"));

            Map<String, Tensor> expected = MiniLmRepository.tokenizeAndRun(version, SENTENCES);
            assertEquals(expected.keySet(), outputs.stream().map(output -> (String) output.get("name"))
                    .collect(Collectors.toSet()));
            for (Map<String, Object> output : outputs) {
                Tensor want = expected.get((String) output.get("name"));
                assertArrayEquals(want.dims(), longs(output.get("shape")), output.get("name") + "'s shape");
                assertArrayEquals(want.toFloatArray(), floats(output.get("data")), 1e-5f,
                        output.get("name") + "'s values");
            }
        }
    }

    @Test
    void theLimitIsTheFixedSequenceLengthOrTheConfiguredOneAndLongerTextsAreRefused() throws Exception {
        Path tokenizer = TestModels.minilmFp32().resolveSibling("all-minilm-l6-v2-tokenizer.json");
        Path fixed = TestModels.write(tokenEcho(Dim.of(16)), version(repository, "fixed").resolve("model.onnx"));
        Files.copy(tokenizer, fixed.resolveSibling("tokenizer.json"));
        Path configured = TestModels.write(tokenEcho(Dim.of("tokens")),
                version(repository, "configured").resolve("model.onnx"));
        Files.copy(tokenizer, configured.resolveSibling("tokenizer.json"));
        Files.writeString(repository.resolve("configured").resolve("config.json"), "{\"max_sequence_length\": 6}");
        try (ServeRun serve = new ServeRun("--model-repository", repository.toString())) {
            assertEquals(16L, parameters(serve, "fixed").get("max_tokens"));
            assertEquals(6L, parameters(serve, "configured").get("max_tokens"));

            // [CLS] hello world [SEP], padded to the model's 16 tokens.
            HttpResponse<String> padded = serve.post("/v2/models/fixed/infer", textRequest(List.of("hello world")));
            assertEquals(200, padded.statusCode(), padded.body());
            Map<String, Object> ids = output(padded, "ids");
            assertArrayEquals(new long[] {1, 16}, longs(ids.get("shape")));
            assertArrayEquals(new long[] {101, 7592, 2088, 102, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                    longs(ids.get("data")));
            assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                    longs(output(padded, "mask").get("data")));

            // Six tokens fit, seven do not: the second text is refused, not cut.
            assertEquals(200, serve.post("/v2/models/configured/infer",
                    textRequest(List.of("one two three four"))).statusCode());
            assertRefused(serve.post("/v2/models/configured/infer",
                    textRequest(List.of("one two three four", "one two three four five"))),
                    "model 'configured' version 1: text 1 has more than 6 tokens (special tokens included); the"
                            + " server refuses such texts rather than cut them");
            assertRefused(serve.post("/v2/models/configured/infer", "{\"inputs\": [" + textInput(List.of("a"))
                    + ", {\"name\": \"input_ids\", \"datatype\": \"INT64\", \"shape\": [1, 1], \"data\": [101]}]}"),
                    "model 'configured' version 1: a request that sends 'text' sends no other input");
        }
    }

    @Test
    void aTokenizerBesideAModelThatTakesNoTokensOrAContradictingLimitFailsTheVersion() throws Exception {
        Path tokenizer = TestModels.minilmFp32().resolveSibling("all-minilm-l6-v2-tokenizer.json");
        Path contradicting = TestModels.write(tokenEcho(Dim.of(16)),
                version(repository, "contradicting").resolve("model.onnx"));
        Files.copy(tokenizer, contradicting.resolveSibling("tokenizer.json"));
        Files.writeString(repository.resolve("contradicting").resolve("config.json"), "{\"max_sequence_length\": 8}");
        Path floats = TestModels.write(TestModels.small(), version(repository, "floats").resolve("model.onnx"));
        Files.copy(tokenizer, floats.resolveSibling("tokenizer.json"));
        try (ServeRun serve = new ServeRun("--model-repository", repository.toString())) {
            List<Map<String, Object>> index = objects(MiniJson.parse(
                    serve.post("/v2/repository/index", "{}").body()));
            assertEquals(List.of("UNAVAILABLE", "UNAVAILABLE"), index.stream().map(entry -> entry.get("state")).toList());
            assertTrue(reason(index, "contradicting").contains("model 'contradicting' version 1: config.json's"
                    + " 'max_sequence_length' is 8 but the model's input 'input_ids' fixes 16 tokens"), index::toString);
            assertTrue(reason(index, "floats").contains("tokenizer.json makes model 'floats' version 1 a text model,"
                    + " but its inputs"), index::toString);
        }
    }

    private static String reason(List<Map<String, Object>> index, String model) {
        return index.stream().filter(entry -> entry.get("name").equals(model)).map(entry -> (String) entry.get("reason"))
                .findFirst().orElseThrow();
    }

    private static Path version(Path repo, String name) throws IOException {
        return Files.createDirectories(repo.resolve(name).resolve("1"));
    }

    /**
     * {@code ids = Identity(input_ids)}, {@code mask = Identity(attention_mask)}, both INT64
     * {@code [batch, tokens]}: a text model that shows the tokens it was given.
     */
    private static Model tokenEcho(Dim tokens) {
        GraphBuilder g = GraphBuilder.create("token_echo");
        Value ids = g.input("input_ids", ElementType.INT64, Dim.of("batch"), tokens);
        Value mask = g.input("attention_mask", ElementType.INT64, Dim.of("batch"), tokens);
        g.output(g.op("Identity", ids), "ids");
        g.output(g.op("Identity", mask), "mask");
        return g.toModel(21);
    }

    private static String textRequest(List<String> texts) {
        return "{\"inputs\": [" + textInput(texts) + "]}";
    }

    private static String textInput(List<String> texts) {
        return "{\"name\": \"text\", \"datatype\": \"BYTES\", \"shape\": [" + texts.size() + "], \"data\": ["
                + texts.stream().map(text -> "\"" + text + "\"").collect(Collectors.joining(", ")) + "]}";
    }

    private static void assertRefused(HttpResponse<String> answer, String reason) {
        assertEquals(400, answer.statusCode(), answer.body());
        String error = (String) object(answer.body()).get("error");
        assertTrue(error.startsWith(reason), error);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameters(ServeRun serve, String model) throws Exception {
        return (Map<String, Object>) object(serve.get("/v2/models/" + model).body()).get("parameters");
    }

    private static Map<String, Object> output(HttpResponse<String> answer, String name) {
        return objects(object(answer.body()).get("outputs")).stream()
                .filter(output -> output.get("name").equals(name)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) {
        return (Map<String, Object>) MiniJson.parse(json);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Object list) {
        return (List<Map<String, Object>>) list;
    }

    private static long[] longs(Object list) {
        return ((List<?>) list).stream().mapToLong(value -> ((Number) value).longValue()).toArray();
    }

    private static float[] floats(Object list) {
        List<?> values = (List<?>) list;
        float[] floats = new float[values.size()];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = ((Number) values.get(i)).floatValue();
        }
        return floats;
    }
}
