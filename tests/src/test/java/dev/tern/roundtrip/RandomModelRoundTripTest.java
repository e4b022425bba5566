package dev.tern.roundtrip;

import dev.tern.ir.Model;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Property test: random models built in code survive export, import and export unchanged. */
class RandomModelRoundTripTest {
    private static final int MODELS = 300;

    @Test
    void randomModelsSurviveExportImportExport() {
        RandomModels models = new RandomModels(20261123L);
        for (int i = 0; i < MODELS; i++) {
            Model original = models.next();
            byte[] first = OnnxExporter.toBytes(original);
            Model imported = OnnxImporter.read(first);
            // A model built in code is written as Tern's, whatever producer it names.
            original.setProducerName(OnnxExporter.PRODUCER_NAME);
            original.setProducerVersion(OnnxExporter.producerVersion());
            assertEquals(ModelDump.of(original), ModelDump.of(imported), "model " + i + " changed on import");
            byte[] second = OnnxExporter.toBytes(imported);
            assertArrayEquals(first, second, "model " + i + ": second export differs from the first");
        }
    }
}
