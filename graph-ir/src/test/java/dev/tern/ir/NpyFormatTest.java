package dev.tern.ir;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trips for every dtype, both byte orders and all header versions. */
class NpyFormatTest {
    @TempDir
    Path dir;

    private static Tensor randomTensor(ElementType type, long... dims) {
        long count = 1;
        for (long dim : dims) {
            count *= dim;
        }
        byte[] bytes = new byte[(int) type.byteSize(count)];
        new Random(type.ordinal()).nextBytes(bytes);
        if (type == ElementType.BOOL) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] &= 1;
            }
        }
        return Tensor.of("t", type, dims, ByteBuffer.wrap(bytes));
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"BOOL", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16",
        "UINT32", "UINT64", "FLOAT16", "FLOAT", "DOUBLE", "COMPLEX64", "COMPLEX128"})
    void everyNumpyDtypeRoundTripsThroughAFileAndAStream(ElementType type) throws IOException {
        Tensor tensor = randomTensor(type, 3, 5);
        Path file = dir.resolve("weights.npy");
        NpyFormat.write(tensor, file);
        Tensor fromFile = NpyFormat.read(file);
        assertTrue(fromFile.contentEquals(tensor));
        assertEquals("weights", fromFile.name());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyFormat.write(tensor, out);
        assertArrayEquals(Files.readAllBytes(file), out.toByteArray());
        Tensor fromStream = NpyFormat.read(new ByteArrayInputStream(out.toByteArray()));
        assertTrue(fromStream.contentEquals(tensor));
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"INT16", "INT32", "INT64", "UINT16", "UINT32", "UINT64",
        "FLOAT16", "FLOAT", "DOUBLE", "COMPLEX64", "COMPLEX128"})
    void bigEndianDataAreConvertedToLittleEndian(ElementType type) throws IOException {
        Tensor expected = randomTensor(type, 2, 3);
        int unit = type == ElementType.COMPLEX64 || type == ElementType.COMPLEX128 ? type.bitWidth() / 16 : type.bitWidth() / 8;
        byte[] little = new byte[(int) expected.byteSize()];
        expected.data().get(little);
        byte[] big = new byte[little.length];
        for (int start = 0; start < little.length; start += unit) {
            for (int i = 0; i < unit; i++) {
                big[start + i] = little[start + unit - 1 - i];
            }
        }
        String descr = ">" + descrKind(type);
        Path file = dir.resolve("big.npy");
        Files.write(file, NpyBytes.of(1, NpyBytes.dictionary(descr, "(2, 3)"), big));
        assertTrue(NpyFormat.read(file).contentEquals(expected));
        Tensor streamed = NpyFormat.read(new ByteArrayInputStream(NpyBytes.of(1, NpyBytes.dictionary(descr, "(2, 3)"), big)));
        assertTrue(streamed.contentEquals(expected));
    }

    private static String descrKind(ElementType type) {
        return switch (type) {
            case INT16 -> "i2";
            case INT32 -> "i4";
            case INT64 -> "i8";
            case UINT16 -> "u2";
            case UINT32 -> "u4";
            case UINT64 -> "u8";
            case FLOAT16 -> "f2";
            case FLOAT -> "f4";
            case DOUBLE -> "f8";
            case COMPLEX64 -> "c8";
            case COMPLEX128 -> "c16";
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    @Test
    void knownBigEndianValuesReadCorrectly() throws IOException {
        ByteBuffer big = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2f).putFloat(3.25f);
        Tensor tensor = NpyFormat.read(new ByteArrayInputStream(NpyBytes.of(1, NpyBytes.dictionary(">f4", "(3,)"), big.array())));
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, tensor.toFloatArray());
    }

    @Test
    void headerVersionsTwoAndThreeAndLegacySpellingsAreRead() throws IOException {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(7).putInt(-9).array();
        String dictionary = "{\"descr\": \"<i4\", \"shape\": (2L,), \"fortran_order\": False}";
        for (int major = 1; major <= 3; major++) {
            Tensor tensor = NpyFormat.read(new ByteArrayInputStream(NpyBytes.of(major, dictionary, data)));
            assertArrayEquals(new int[] {7, -9}, tensor.toIntArray(), "version " + major);
        }
    }

    @Test
    void oneByteTypesAcceptEveryByteOrderMark() throws IOException {
        for (String descr : new String[] {"|u1", "<u1", ">u1"}) {
            Tensor tensor = NpyFormat.read(new ByteArrayInputStream(NpyBytes.of(1, NpyBytes.dictionary(descr, "(2,)"), new byte[] {1, (byte) 200})));
            assertEquals(ElementType.UINT8, tensor.elementType());
            assertEquals((byte) 200, tensor.data().get(1));
        }
    }

    @Test
    void writtenHeaderIsVersionOneAlignedAndNumpyShaped() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyFormat.write(Tensor.ofFloats("v", new long[] {3}, 1, 2, 3), out);
        byte[] bytes = out.toByteArray();
        assertEquals(1, bytes[6]);
        assertEquals(0, bytes[7]);
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), header);
        assertTrue(header.endsWith(" \n"), header);
        assertEquals(10 + headerLength + 12, bytes.length);
    }

    @Test
    void scalarsAndEmptyArraysRoundTrip() throws IOException {
        for (long[] dims : new long[][] {{}, {0, 3}}) {
            Tensor tensor = randomTensor(ElementType.DOUBLE, dims);
            Path file = dir.resolve("edge.npy");
            NpyFormat.write(tensor, file);
            Tensor read = NpyFormat.read(file);
            assertArrayEquals(dims, read.dims());
            assertTrue(read.contentEquals(tensor));
        }
    }

    @Test
    void aHeaderTooLongForVersionOneIsWrittenAsVersionTwo() throws IOException {
        long[] dims = new long[30_000];
        java.util.Arrays.fill(dims, 1);
        Tensor tensor = randomTensor(ElementType.INT8, dims);
        Path file = dir.resolve("rank.npy");
        NpyFormat.write(tensor, file);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(2, bytes[6]);
        int headerLength = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(0, (12 + headerLength) % 64);
        assertTrue(NpyFormat.read(file).contentEquals(tensor));
    }

    @Test
    void typesWithoutANumpyDtypeAreRefusedBeforeAFileIsMade() {
        for (ElementType type : new ElementType[] {ElementType.BFLOAT16, ElementType.INT4, ElementType.FLOAT8E4M3FN}) {
            Path file = dir.resolve(type.onnxName() + ".npy");
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyFormat.write(Tensor.zeros("w", type, 4), file));
            assertEquals("tensor 'w': element type " + type.onnxName() + " has no numpy dtype, so .npy cannot hold it", e.getMessage());
            assertFalse(Files.exists(file));
        }
        Tensor strings = Tensor.ofStrings("s", new long[] {1}, java.util.List.of(new byte[] {'a'}));
        assertThrows(NpyFormatException.class, () -> NpyFormat.write(strings, new ByteArrayOutputStream()));
    }

    @Test
    void fileReadsAreMemoryMappedDirectBuffers() throws IOException {
        Path file = dir.resolve("mapped.npy");
        NpyFormat.write(Tensor.ofFloats("m", new long[] {2}, 1, 2), file);
        assertTrue(NpyFormat.read(file).data().isDirect());
    }

    @Test
    void aStreamMayHoldSeveralArraysInARow() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyFormat.write(Tensor.ofInts("a", new long[] {1}, 1), out);
        NpyFormat.write(Tensor.ofInts("b", new long[] {2}, 2, 3), out);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertArrayEquals(new int[] {1}, NpyFormat.read(in).toIntArray());
        assertArrayEquals(new int[] {2, 3}, NpyFormat.read(in).toIntArray());
        assertEquals(0, in.available());
    }
}
