package dev.tern.compress.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Tensor;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * all-MiniLM-L6-v2 quantized dynamically by Tern against ONNX Runtime's own int8 version of it
 * (langchain4j's all-minilm-l6-v2-q): embeddings at least as close to fp32's, a file no larger.
 * The first {@value #SENTENCES} lines of {@code data/sentences.txt} keep the test quick;
 * {@code tools/bench.sh quantize} compares over all 500 ({@link MiniLmQuantizationComparison}).
 */
class MiniLmDynamicQuantizationTest {
    private static final int SENTENCES = 200;

    @TempDir
    Path folder;

    @Test
    void perChannelInt8KeepsEmbeddingsCloseAndTheFileNoLargerThanOnnxRuntimes() throws IOException {
        Path floatFile = MiniLmEmbeddings.extract(MiniLmEmbeddings.FLOAT_MODEL, folder);
        Path reference = MiniLmEmbeddings.extract(MiniLmEmbeddings.INT8_REFERENCE, folder);
        QuantizationResult result = Quantization.dynamic(OnnxImporter.read(floatFile),
                QuantizationSettings.builder().perChannel(true).build());
        Path quantized = folder.resolve("tern-int8.onnx");
        OnnxExporter.write(result.model(), quantized);

        // 6 layers x (Q, K, V, attention output, two feed-forward) MatMuls, and the 3 embedding tables.
        assertEquals(Map.of("MatMul", 36, "Gather", 3), result.quantizedOpTypes());
        long size = Files.size(quantized);
        long referenceSize = Files.size(reference);
        assertTrue(size <= referenceSize, "Tern's int8 file has " + size + " bytes, ONNX Runtime's " + referenceSize);

        List<Map<String, Tensor>> tokens = MiniLmEmbeddings.tokens(MiniLmEmbeddings.sentences(SENTENCES));
        float[][] expected = MiniLmEmbeddings.embed(floatFile, tokens);
        double ours = mean(MiniLmEmbeddings.cosines(expected, MiniLmEmbeddings.embed(quantized, tokens)));
        double theirs = mean(MiniLmEmbeddings.cosines(expected, MiniLmEmbeddings.embed(reference, tokens)));
        System.out.printf("MiniLM int8 over %d sentences: mean cosine to fp32 %.5f (ONNX Runtime's int8: %.5f); "
                + "file %d bytes (ONNX Runtime's: %d)%n", tokens.size(), ours, theirs, size, referenceSize);
        assertTrue(ours >= theirs, "mean cosine to fp32 " + ours + ", ONNX Runtime's int8 " + theirs);
        assertTrue(ours >= 0.985, "mean cosine to fp32 " + ours);
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }
}
