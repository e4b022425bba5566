package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every element type ONNX Runtime's Java API handles goes in and comes back bit for bit. */
class ElementTypeTest {
    @RegisterExtension
    final OpenModels models = new OpenModels();

    /** Six elements of {@code type} with distinct bit patterns. */
    private static Tensor sample(ElementType type) {
        int width = (int) type.byteSize(1);
        ByteBuffer bytes = ByteBuffer.allocateDirect(6 * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6 * width; i++) {
            // Bools must be 0 or 1; the rest get arbitrary but distinct bytes.
            bytes.put((byte) (type == ElementType.BOOL ? i % 2 : 17 * i + 3));
        }
        bytes.flip();
        return Tensor.of("x", type, new long[] {2, 3}, bytes);
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"FLOAT", "DOUBLE", "INT8", "UINT8", "INT16", "INT32", "INT64",
            "BOOL", "FLOAT16", "BFLOAT16"})
    void fixedWidthTypesRoundTrip(ElementType type) {
        Tensor x = sample(type);
        try (CompiledModel model = models.runtime().compile(TestModels.identity(type))) {
            Tensor y = model.run(Map.of("x", x)).get("y");
            assertEquals(type, y.elementType());
            assertArrayEquals(x.dims(), y.dims());
            assertEquals(x.data(), y.data());
        }
    }

    /** Tensors decoded from typed protobuf fields or built from arrays live on the heap, often read-only. */
    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"FLOAT", "INT64", "BOOL", "FLOAT16"})
    void readOnlyHeapBuffersAreAccepted(ElementType type) {
        Tensor direct = sample(type);
        ByteBuffer heap = ByteBuffer.allocate(direct.data().remaining());
        heap.put(direct.data()).flip();
        Tensor x = Tensor.of("x", type, direct.dims(), heap.asReadOnlyBuffer());
        try (CompiledModel model = models.runtime().compile(TestModels.identity(type))) {
            assertEquals(direct.data(), model.run(Map.of("x", x)).get("y").data());
        }
    }

    @Test
    void stringsRoundTrip() {
        List<byte[]> strings = List.of("a", "βγ", "", "日本", "x y", "last").stream()
                .map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        Tensor x = Tensor.ofStrings("x", new long[] {2, 3}, strings);
        try (CompiledModel model = models.runtime().compile(TestModels.identity(ElementType.STRING))) {
            Tensor y = model.run(Map.of("x", x)).get("y");
            assertEquals(List.of("a", "βγ", "", "日本", "x y", "last"), y.stringsUtf8());
            assertArrayEquals(new long[] {2, 3}, y.dims());
        }
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"UINT16", "UINT32", "UINT64"})
    void unsignedOutputsJavaCannotFeedAreReadable(ElementType type) {
        try (CompiledModel model = models.runtime().compile(TestModels.castFromInt(type))) {
            Tensor y = model.run(Map.of("x", Tensor.ofInts("x", new long[] {4}, 0, 1, 2, 300))).get("y");
            assertEquals(type, y.elementType());
            ByteBuffer data = y.data();
            long[] values = new long[4];
            for (int i = 0; i < 4; i++) {
                values[i] = switch (type) {
                    case UINT16 -> Short.toUnsignedLong(data.getShort(i * 2));
                    case UINT32 -> Integer.toUnsignedLong(data.getInt(i * 4));
                    default -> data.getLong(i * 8);
                };
            }
            assertArrayEquals(new long[] {0, 1, 2, 300}, values);
        }
    }

    @Test
    void sequenceOutputsAreReadable() {
        try (CompiledModel model = models.runtime().compile(TestModels.sequence());
             NativeTensor a = NativeTensor.wrap(Tensor.ofFloats("a", new long[] {2}, 1, 2));
             NativeTensor b = NativeTensor.wrap(Tensor.ofFloats("b", new long[] {2}, 3, 4));
             Outputs outputs = model.runNative(Map.of("a", a, "b", b))) {
            assertTrue(model.outputs().get(0).type().toString().startsWith("seq(tensor(float)"), model.outputs().toString());
            List<Tensor> sequence = outputs.tensorSequence("seq");
            assertEquals(2, sequence.size());
            assertArrayEquals(new float[] {1, 2}, sequence.get(0).toFloatArray());
            assertArrayEquals(new float[] {3, 4}, sequence.get(1).toFloatArray());
        }
    }

    @Test
    void sequenceOfMapsIsReadable() {
        try (CompiledModel model = models.runtime().compile(TestModels.zipMap());
             NativeTensor scores = NativeTensor.wrap(Tensor.ofFloats("scores", new long[] {2, 2}, .25f, .75f, .5f, .5f));
             Outputs outputs = model.runNative(Map.of("scores", scores))) {
            assertEquals(List.of(Map.of(7L, .25f, 9L, .75f), Map.of(7L, .5f, 9L, .5f)), outputs.mapSequence("maps"));
        }
    }

    @Test
    void plainRunPointsToRunNativeForNonTensorOutputs() {
        try (CompiledModel model = models.runtime().compile(TestModels.sequence())) {
            Tensor a = Tensor.ofFloats("a", new long[] {2}, 1, 2);
            String message = assertThrows(ExecException.class,
                    () -> model.run(Map.of("a", a, "b", a))).getMessage();
            assertTrue(message.contains("[seq]") && message.contains("runNative"), message);
        }
    }
}
