package dev.tern.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Model;
import dev.tern.ir.Value;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real fp32 all-MiniLM-L6-v2 (90 MB) through import, export and import again. */
class MiniLmTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsTheRealModel() throws Exception {
        Path original = dir.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = MiniLmTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            assertNotNull(in, "all-minilm-l6-v2.onnx is not on the test classpath");
            Files.copy(in, original);
        }
        Model model = OnnxImporter.read(original);
        assertTrue(model.graph().initializers().size() > 50);
        assertTrue(model.graph().nodeCount() > 100);
        assertEquals(3, model.graph().inputs().size());

        Path exported = dir.resolve("exported.onnx");
        OnnxExporter.write(model, exported);
        Model reimported = OnnxImporter.read(exported);
        assertEquals(model.graph().nodeCount(), reimported.graph().nodeCount());
        assertEquals(model.graph().initializers().keySet(), reimported.graph().initializers().keySet());
        for (Value value : model.graph().initializers().values()) {
            assertTrue(value.initializer().contentEquals(
                    reimported.graph().initializers().get(value.name()).initializer()), value.name());
        }
        Path second = dir.resolve("second.onnx");
        OnnxExporter.write(reimported, second);
        assertArrayEquals(Files.readAllBytes(exported), Files.readAllBytes(second));
    }
}
