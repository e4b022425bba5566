package dev.tern.ir;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken or unsupported {@code .npy} data fail with a message naming the file and the problem. */
class NpyMalformedTest {
    @TempDir
    Path dir;

    private String fileFailure(byte[] bytes) throws IOException {
        Path file = dir.resolve("bad.npy");
        Files.write(file, bytes);
        String message = assertThrows(NpyFormatException.class, () -> NpyFormat.read(file)).getMessage();
        assertTrue(message.startsWith("file " + file + ": "), message);
        return message.substring(("file " + file + ": ").length());
    }

    private static String streamFailure(byte[] bytes) {
        return assertThrows(NpyFormatException.class, () -> NpyFormat.read(new ByteArrayInputStream(bytes))).getMessage();
    }

    private static byte[] floats(String shape, int dataBytes) {
        return NpyBytes.of(1, NpyBytes.dictionary("<f4", shape), new byte[dataBytes]);
    }

    @Test
    void badMagic() throws IOException {
        assertEquals("not a .npy file: expected magic \\x93NUMPY and a version, found bytes 50 4b 03 04 14 00 00 00",
                fileFailure(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0}));
        assertEquals("not a .npy file: expected magic \\x93NUMPY and a version, found no bytes", fileFailure(new byte[0]));
    }

    @Test
    void unsupportedVersion() throws IOException {
        byte[] bytes = floats("(1,)", 4);
        bytes[6] = 4;
        assertEquals("unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)", fileFailure(bytes));
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] whole = floats("(1,)", 0);
        byte[] cut = Arrays.copyOf(whole, 30);
        assertTrue(fileFailure(cut).startsWith("truncated header: it declares " + (whole.length - 10) + " bytes, only 20 follow"));
        assertTrue(streamFailure(cut).startsWith("stream: truncated header"));
        assertEquals("truncated .npy preamble: the header length is missing", fileFailure(Arrays.copyOf(whole, 9)));
    }

    @Test
    void dataShorterOrLongerThanTheShape() throws IOException {
        assertEquals("shape [2, 3] of dtype float needs 24 bytes of data, found 20 (truncated)", fileFailure(floats("(2, 3)", 20)));
        assertEquals("shape [2, 3] of dtype float needs 24 bytes of data, found 28", fileFailure(floats("(2, 3)", 28)));
        assertEquals("stream: shape [2, 3] needs 24 bytes of data, found 20 (truncated)", streamFailure(floats("(2, 3)", 20)));
    }

    @Test
    void aHugeShapeFailsOnTheSizeCheckWithoutAllocating() throws IOException {
        assertTrue(fileFailure(floats("(1000000, 1000000)", 16)).startsWith("shape [1000000, 1000000] of dtype float needs 4000000000000 bytes"));
        assertEquals("stream: shape [100000000] needs 400000000 bytes of data, found 16 (truncated)",
                streamFailure(floats("(100000000,)", 16)));
        assertEquals("stream: shape [1000000, 1000000] needs 4000000000000 bytes, more than one tensor buffer holds (2 GiB)",
                streamFailure(floats("(1000000, 1000000)", 16)));
        assertEquals("stream: shape [9223372036854775807, 2] overflows a long",
                streamFailure(floats("(9223372036854775807, 2)", 0)));
    }

    @Test
    void unsupportedDtypes() throws IOException {
        String object = fileFailure(NpyBytes.of(1, NpyBytes.dictionary("|O", "(1,)"), new byte[8]));
        assertTrue(object.startsWith("unsupported dtype '|O'"), object);
        assertTrue(streamFailure(NpyBytes.of(1, NpyBytes.dictionary("<U5", "(1,)"), new byte[20])).startsWith("stream: unsupported dtype '<U5'"));
        assertEquals("stream: dtype '|f4' says byte order does not apply ('|'), but its elements have several bytes",
                streamFailure(NpyBytes.of(1, NpyBytes.dictionary("|f4", "(1,)"), new byte[4])));
        assertEquals("stream: dtype '=f4' uses the writing machine's native byte order ('='), which the file does not record",
                streamFailure(NpyBytes.of(1, NpyBytes.dictionary("=f4", "(1,)"), new byte[4])));
        String structured = streamFailure(NpyBytes.of(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]));
        assertTrue(structured.contains("'descr' is a list; structured dtypes are not supported"), structured);
    }

    @Test
    void fortranOrderIsRefused() throws IOException {
        String dictionary = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }";
        assertEquals("fortran_order is True (column-major data); only C order is supported, save it with numpy.ascontiguousarray",
                fileFailure(NpyBytes.of(1, dictionary, new byte[16])));
    }

    @Test
    void malformedHeaderDictionaries() {
        String missing = streamFailure(NpyBytes.of(1, "{'descr': '<f4', 'shape': (1,)}", new byte[4]));
        assertTrue(missing.contains("header keys are [descr, shape], expected exactly [descr, fortran_order, shape]"), missing);
        String negative = streamFailure(NpyBytes.of(1, NpyBytes.dictionary("<f4", "(-1,)"), new byte[4]));
        assertTrue(negative.contains("expected a non-negative integer in 'shape'"), negative);
        String garbage = streamFailure(NpyBytes.of(1, "not a dict", new byte[4]));
        assertTrue(garbage.startsWith("stream: malformed header at character 0: expected '{'"), garbage);
    }
}
