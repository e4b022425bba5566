package dev.tern.onnx;

import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model just over 2 GiB of weights, exported with default options, must land in external
 * data: one protobuf message cannot hold it. The weights come from a sparse file, so the test
 * needs little memory; the export really writes the 2.4 GB data file (deleted afterwards).
 */
class LargeModelExportTest {
    private static final long TENSOR_BYTES = 1_200_000_000L;

    @TempDir
    Path dir;

    @Test
    void modelOverTwoGigabytesGetsExternalDataUnasked() throws IOException {
        Path source = dir.resolve("weights.bin");
        try (RandomAccessFile file = new RandomAccessFile(source.toFile(), "rw")) {
            file.setLength(TENSOR_BYTES);
            file.seek(0);
            file.write(new byte[] {1, 2, 3});
            file.seek(TENSOR_BYTES - 3);
            file.write(new byte[] {7, 8, 9});
        }
        ByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(source)) {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, TENSOR_BYTES);
        }
        Graph graph = new Graph("large");
        graph.addInitializer(Tensor.of("a", ElementType.UINT8, new long[] {TENSOR_BYTES}, mapped));
        graph.addInitializer(Tensor.of("b", ElementType.UINT8, new long[] {TENSOR_BYTES}, mapped));

        Path modelFile = dir.resolve("large.onnx");
        OnnxExporter.write(Models.wrap(graph), modelFile);
        Files.delete(source);

        assertEquals(List.of("large.onnx.data"), OnnxImporter.externalDataFiles(modelFile));
        assertTrue(Files.size(modelFile) < 4096, "the model file holds structure only: " + Files.size(modelFile));
        assertTrue(Files.size(dir.resolve("large.onnx.data")) >= 2 * TENSOR_BYTES);
        Model imported = OnnxImporter.read(modelFile);
        for (String name : List.of("a", "b")) {
            ByteBuffer data = imported.graph().initializers().get(name).initializer().data();
            assertEquals(TENSOR_BYTES, data.remaining(), name);
            assertEquals(2, data.get(1), name);
            assertEquals(8, data.get((int) TENSOR_BYTES - 2), name);
        }
    }
}
