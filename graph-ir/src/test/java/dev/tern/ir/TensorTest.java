package dev.tern.ir;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {

    @Test
    void byteCountMustMatchTheShape() {
        IrException e = assertThrows(IrException.class,
                () -> Tensor.of("w", ElementType.FLOAT, new long[] {2, 3}, ByteBuffer.allocate(20)));
        assertEquals("tensor 'w' of type FLOAT and shape [2, 3] needs 24 bytes, found 20", e.getMessage());
        IrException negative = assertThrows(IrException.class,
                () -> Tensor.of("w", ElementType.FLOAT, new long[] {-1}, ByteBuffer.allocate(0)));
        assertEquals("tensor 'w': dimension 0 is negative (-1)", negative.getMessage());
        IrException overflow = assertThrows(IrException.class,
                () -> Tensor.zeros("w", ElementType.FLOAT, Long.MAX_VALUE, 2));
        assertTrue(overflow.getMessage().contains("overflows a long"), overflow.getMessage());
    }

    @Test
    void subByteTypesArePackedAndRoundedUpToWholeBytes() {
        assertEquals(2, Tensor.zeros("q", ElementType.INT4, 3).byteSize());
        assertEquals(3, Tensor.zeros("q", ElementType.UINT4, 5).byteSize());
        assertEquals(2, Tensor.zeros("q", ElementType.INT4, 2, 2).byteSize());
        assertEquals(1, Tensor.zeros("q", ElementType.INT2, 4).byteSize());
        assertEquals(2, Tensor.zeros("q", ElementType.UINT2, 5).byteSize());
        assertEquals(1, Tensor.zeros("q", ElementType.FLOAT4E2M1, 1).byteSize());
        IrException e = assertThrows(IrException.class,
                () -> Tensor.of("q", ElementType.UINT4, new long[] {4}, ByteBuffer.allocate(3)));
        assertEquals("tensor 'q' of type UINT4 and shape [4] needs 2 bytes, found 3", e.getMessage());
    }

    @Test
    void dataAreAReadOnlyLittleEndianViewOfTheGivenBytes() {
        ByteBuffer source = ByteBuffer.allocate(10);
        source.position(2);
        Tensor tensor = Tensor.of("v", ElementType.INT16, new long[] {4}, source);
        source.put(2, (byte) 7);
        ByteBuffer data = tensor.data();
        assertTrue(data.isReadOnly());
        assertEquals(0, data.position());
        assertEquals(7, data.getShort(0), "the tensor shares the bytes it was given");
    }

    @Test
    void javaArrayConvertersCheckTheElementType() {
        Tensor floats = Tensor.ofFloats("f", new long[] {2}, 1.5f, 2.5f);
        assertArrayEquals(new float[] {1.5f, 2.5f}, floats.toFloatArray());
        IrException e = assertThrows(IrException.class, floats::toLongArray);
        assertEquals("tensor 'f' has element type FLOAT, expected INT64", e.getMessage());
        assertArrayEquals(new long[] {-3, 4}, Tensor.ofLongs("l", new long[] {2}, -3, 4).toLongArray());
        assertArrayEquals(new double[] {0.25}, Tensor.ofDoubles("d", new long[] {1}, 0.25).toDoubleArray());
        assertEquals(1, Tensor.ofBooleans("b", new long[] {2}, false, true).data().get(1));
    }

    @Test
    void stringTensorsHoldNoByteBuffer() {
        Tensor strings = Tensor.ofStrings("s", new long[] {2}, List.of("a".getBytes(), "bc".getBytes()));
        assertEquals(List.of("a", "bc"), strings.stringsUtf8());
        assertEquals(3, strings.byteSize());
        assertThrows(IrException.class, strings::data);
        IrException count = assertThrows(IrException.class, () -> Tensor.ofStrings("s", new long[] {3}, List.of()));
        assertEquals("tensor 's' of shape [3] needs 3 strings, found 0", count.getMessage());
    }

    @Test
    void contentEqualityIgnoresNamesButNotShape() {
        Tensor a = Tensor.ofInts("a", new long[] {2}, 1, 2);
        assertTrue(a.contentEquals(Tensor.ofInts("b", new long[] {2}, 1, 2)));
        assertFalse(a.contentEquals(Tensor.ofInts("a", new long[] {1, 2}, 1, 2)));
        assertFalse(a.contentEquals(Tensor.ofInts("a", new long[] {2}, 1, 3)));
    }
}
