package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoraAdapter;
import ai.onnxruntime.OrtSession;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.onnx.OnnxExporter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adapter files Tern writes, read back by Tern and by ONNX Runtime itself. */
class AdapterFileTest {
    @TempDir
    Path folder;

    @Test
    void roundTripKeepsVersionsNamesShapesTypesAndBytes() {
        Tensor floats = Tensor.ofFloats("layer.lora_A", new long[] {3, 2}, 1, 2, 3, 4, 5, 6);
        Tensor halves = Tensor.zeros("layer.lora_B", ElementType.FLOAT16, 2, 5);
        Tensor scalar = Tensor.ofLongs("step", new long[0], 7);
        AdapterFile written = new AdapterFile(3, 11, List.of(floats, halves, scalar));
        Path file = folder.resolve("a.onnx_adapter");
        written.write(file);

        AdapterFile read = AdapterFile.read(file);
        assertEquals(3, read.adapterVersion());
        assertEquals(11, read.modelVersion());
        assertEquals(3, read.parameters().size());
        for (int i = 0; i < 3; i++) {
            Tensor expected = written.parameters().get(i);
            Tensor actual = read.parameters().get(i);
            assertEquals(expected.name(), actual.name());
            assertEquals(expected.elementType(), actual.elementType());
            assertArrayEquals(expected.dims(), actual.dims());
            assertTrue(expected.contentEquals(actual), expected.name());
        }
    }

    @Test
    void rawDataIsAlignedToEightBytesAsTheSchemaForces() {
        // Odd-length names and data push later vectors off alignment unless the writer pads them.
        float[] marker = {1.5f, -2.25f, 3.125f};
        AdapterFile adapter = AdapterFile.of(List.of(
                Tensor.ofBooleans("odd", new long[] {3}, true, false, true),
                Tensor.ofFloats("marked", new long[] {3}, marker),
                Tensor.ofBooleans("odder", new long[] {5}, true, false, true, true, true)));
        ByteBuffer file = adapter.toBytes();
        ByteBuffer expected = Tensor.ofFloats("marked", new long[] {3}, marker).data();
        int found = -1;
        for (int at = file.position(); at + 12 <= file.limit() && found < 0; at++) {
            if (file.slice(at, 12).equals(expected)) {
                found = at - file.position();
            }
        }
        assertTrue(found > 0, "the marker data are in the file");
        assertEquals(0, found % 8, "raw data start at an offset that is a multiple of 8, found " + found);
    }

    @Test
    void onnxRuntimeAppliesATernAdapterToABaseWithOptionalInputs() throws OrtException {
        float[] w = TestModels.randoms(new Random(1), AdapterModels.IN * AdapterModels.OUT);
        AdapterFile adapter = AdapterModels.adapter(4, 2);
        Path file = folder.resolve("tuned.onnx_adapter");
        adapter.write(file);
        int batch = 3;
        float[] x = TestModels.randoms(new Random(3), batch * AdapterModels.IN);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        byte[] base = OnnxExporter.toBytes(AdapterModels.base(w));
        try (OrtSession session = env.createSession(base, new OrtSession.SessionOptions());
             OrtLoraAdapter loaded = OrtLoraAdapter.create(file.toString());
             OrtSession.RunOptions withAdapter = new OrtSession.RunOptions();
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x),
                     new long[] {batch, AdapterModels.IN})) {
            withAdapter.addActiveLoraAdapter(loaded);
            assertArrayEquals(AdapterModels.reference(x, batch, w, null), run(session, input, null), 1e-5f);
            assertArrayEquals(AdapterModels.reference(x, batch, w, adapter), run(session, input, withAdapter), 1e-5f);
        }
    }

    @Test
    void badFilesAreRefusedNamingTheFileAndTheProblem() throws Exception {
        ByteBuffer good = AdapterModels.adapter(2, 5).toBytes();
        byte[] bytes = new byte[good.remaining()];
        good.get(bytes);

        byte[] wrongIdentifier = bytes.clone();
        wrongIdentifier[4] = 'X';
        assertRefused(wrongIdentifier, "expected the identifier 'TORT'");

        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertRefused(truncated, "outside the file");

        byte[] futureVersion = bytes.clone();
        ByteBuffer view = ByteBuffer.wrap(futureVersion).order(ByteOrder.LITTLE_ENDIAN);
        int formatVersionAt = formatVersionPosition(view);
        view.putInt(formatVersionAt, 2);
        assertRefused(futureVersion, "adapter format version 2 is not supported, expected 1");

        assertRefused(new byte[] {1, 2, 3}, "not an ONNX Runtime adapter file");
    }

    @Test
    void parametersMustBeNamedOnceAndFixedWidth() {
        Tensor a = Tensor.ofFloats("a", new long[] {1}, 1);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> AdapterFile.of(List.of(a, a)));
        assertEquals("adapter parameter 'a' appears twice", twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AdapterFile.of(List.of(a.withName(""))));
        assertThrows(IllegalArgumentException.class, () -> AdapterFile.of(List.of(
                Tensor.ofStrings("s", new long[] {1}, List.of(new byte[] {'x'})))));
    }

    private void assertRefused(byte[] bytes, String expected) throws Exception {
        Path file = folder.resolve("bad.onnx_adapter");
        Files.write(file, bytes);
        AdapterFormatException e = assertThrows(AdapterFormatException.class, () -> AdapterFile.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Where the Adapter table's format_version int sits: root table, its vtable, slot 0. */
    private static int formatVersionPosition(ByteBuffer bytes) {
        int table = bytes.getInt(0);
        int vtable = table - bytes.getInt(table);
        return table + Short.toUnsignedInt(bytes.getShort(vtable + 4));
    }

    private static float[] run(OrtSession session, OnnxTensor input, OrtSession.RunOptions options)
            throws OrtException {
        try (OrtSession.Result result = options == null
                ? session.run(Map.of("x", input))
                : session.run(Map.of("x", input), options)) {
            float[][] y = (float[][]) result.get(0).getValue();
            float[] flat = new float[y.length * y[0].length];
            for (int i = 0; i < y.length; i++) {
                System.arraycopy(y[i], 0, flat, i * y[0].length, y[i].length);
            }
            return flat;
        }
    }
}
