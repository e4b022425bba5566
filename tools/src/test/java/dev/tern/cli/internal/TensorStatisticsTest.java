package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorStatisticsTest {
    @Test
    void floatsGiveMinMaxMeanAndCountNaNApart() {
        Tensor tensor = Tensor.ofFloats("t", new long[] {4}, -1, Float.NaN, 3, 1);

        assertEquals(new TensorStatistics.Numbers(4, -1, 3, 1, 1), TensorStatistics.of(tensor));
        assertEquals("min -1.00000  max 3.00000  mean 1.00000  NaN 1", TensorStatistics.of(tensor).text());
    }

    @Test
    void halfPrecisionTypesAreDecoded() {
        // float16: 1.0 = 0x3c00, -2.0 = 0xc000, 2^-24 = 0x0001 (subnormal); bfloat16: 1.5 = 0x3fc0.
        assertEquals(new TensorStatistics.Numbers(3, -2, 1, (1 - 2 + 0x1p-24) / 3, 0),
                TensorStatistics.of(shorts(ElementType.FLOAT16, 0x3c00, 0xc000, 0x0001)));
        assertEquals(new TensorStatistics.Numbers(1, 1.5, 1.5, 1.5, 0),
                TensorStatistics.of(shorts(ElementType.BFLOAT16, 0x3fc0)));
    }

    @Test
    void unsignedTypesReadAsUnsigned() {
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).putLong(0).flip();
        TensorStatistics.Numbers stats = (TensorStatistics.Numbers) TensorStatistics.of(
                Tensor.of("t", ElementType.UINT64, new long[] {2}, data));

        assertEquals(0x1p64, stats.max());
        assertEquals(0, stats.min());
    }

    @Test
    void booleansCountTrueAndStringsCountElements() {
        assertEquals(new TensorStatistics.Booleans(3, 2),
                TensorStatistics.of(Tensor.ofBooleans("b", new long[] {3}, true, false, true)));
        assertEquals(new TensorStatistics.Counted(2), TensorStatistics.of(Tensor.ofStrings("s", new long[] {2},
                List.of("a".getBytes(StandardCharsets.UTF_8), "b".getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void emptyTensorsHaveNoMinimum() {
        TensorStatistics.Numbers stats = (TensorStatistics.Numbers) TensorStatistics.of(
                Tensor.ofFloats("t", new long[] {0}));

        assertEquals(Double.NaN, stats.min());
        assertEquals(0, stats.count());
    }

    private static Tensor shorts(ElementType type, int... values) {
        ByteBuffer data = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : values) {
            data.putShort((short) value);
        }
        return Tensor.of("t", type, new long[] {values.length}, data.flip());
    }
}
