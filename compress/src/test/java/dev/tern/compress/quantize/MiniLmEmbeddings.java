package dev.tern.compress.quantize;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Tensor;
import dev.tern.train.data.TextTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 from the langchain4j test artifacts (fp32 and ONNX Runtime's int8 version),
 * the English sentences of train-ext's topics.tsv, and mean-pooled sentence embeddings.
 */
final class MiniLmEmbeddings {
    static final String FLOAT_MODEL = "/all-minilm-l6-v2.onnx";
    static final String INT8_REFERENCE = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";
    private static final String SENTENCES = "/topics.tsv";
    private static final String OUTPUT = "last_hidden_state";

    private MiniLmEmbeddings() {
    }

    /** Copies a model resource into {@code folder}, so it can be memory-mapped and its size read. */
    static Path extract(String resource, Path folder) {
        try (InputStream in = open(resource)) {
            Path file = folder.resolve(resource.substring(1));
            Files.copy(in, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text column of topics.tsv: 160 sentences on sports, cooking, weather and computing. */
    static List<String> sentences() {
        List<String> texts = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(SENTENCES), StandardCharsets.UTF_8))) {
            reader.readLine();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    texts.add(line.substring(line.indexOf('\t') + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return texts;
    }

    /** Each sentence's tokens, unpadded. */
    static List<Map<String, Tensor>> tokens(List<String> sentences) {
        try (InputStream in = open(TOKENIZER); TextTokenizer tokenizer = TextTokenizer.load(in, 128)) {
            return sentences.stream().map(sentence -> tokenizer.encode(List.of(sentence))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mean of each sentence's token states from the model in {@code file}, run on one thread. */
    static float[][] embed(Path file, List<Map<String, Tensor>> tokens) {
        float[][] embeddings = new float[tokens.size()][];
        try (Runtime runtime = Runtime.create();
             CompiledModel model = runtime.open(file, SessionConfig.builder().intraOpThreads(1).build())) {
            for (int i = 0; i < embeddings.length; i++) {
                embeddings[i] = meanOverTokens(model.run(tokens.get(i)).get(OUTPUT));
            }
        }
        return embeddings;
    }

    /** The mean cosine similarity of paired embeddings. */
    static double meanCosine(float[][] a, float[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += cosine(a[i], b[i]);
        }
        return sum / a.length;
    }

    private static float[] meanOverTokens(Tensor states) {
        int hidden = Math.toIntExact(states.dims()[2]);
        int length = Math.toIntExact(states.dims()[1]);
        float[] values = states.toFloatArray();
        float[] mean = new float[hidden];
        for (int t = 0; t < length; t++) {
            for (int h = 0; h < hidden; h++) {
                mean[h] += values[t * hidden + h] / length;
            }
        }
        return mean;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }

    private static InputStream open(String resource) {
        InputStream in = MiniLmEmbeddings.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is not on the test class path; the compress module's test "
                    + "dependencies and test resources should provide it");
        }
        return in;
    }
}
