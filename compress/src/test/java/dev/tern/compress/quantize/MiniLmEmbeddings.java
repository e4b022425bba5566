package dev.tern.compress.quantize;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Tensor;
import dev.tern.train.data.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * all-MiniLM-L6-v2 from the langchain4j test artifacts (fp32 and ONNX Runtime's int8 version),
 * the checkout's {@code data/sentences.txt} (500 English sentences, one a line), and mean-pooled
 * sentence embeddings.
 */
final class MiniLmEmbeddings {
    static final String FLOAT_MODEL = "/all-minilm-l6-v2.onnx";
    static final String INT8_REFERENCE = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";
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

    /**
     * The first {@code count} lines of the checkout's {@code data/sentences.txt}; Maven's Surefire
     * names the checkout in the system property {@code tern.root}, as {@code tools/bench.sh} does.
     */
    static List<String> sentences(int count) {
        String root = System.getProperty("tern.root");
        if (root == null) {
            throw new IllegalStateException("system property tern.root (the checkout's root) is not set; run through"
                    + " Maven or tools/bench.sh");
        }
        Path file = Path.of(root, "data", "sentences.txt");
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            List<String> sentences = lines.limit(count).toList();
            if (sentences.size() < count) {
                throw new IllegalStateException(file + " has " + sentences.size() + " lines, " + count + " wanted");
            }
            return sentences;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** The cosine similarity of each pair of embeddings, {@code a[i]} with {@code b[i]}. */
    static double[] cosines(float[][] a, float[][] b) {
        double[] cosines = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            cosines[i] = cosine(a[i], b[i]);
        }
        return cosines;
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
