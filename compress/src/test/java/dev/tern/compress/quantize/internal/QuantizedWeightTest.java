package dev.tern.compress.quantize.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;

/** Scales, zero points and rounding, checked against values worked out by hand. */
class QuantizedWeightTest {
    private static byte[] bytes(Tensor tensor) {
        byte[] values = new byte[Math.toIntExact(tensor.elementCount())];
        tensor.data().get(values);
        return values;
    }

    @Test
    void perTensorScaleIsTheLargestMagnitudeOver127() {
        Tensor weight = Tensor.ofFloats("w", new long[] {2, 2}, 1.27f, -2.54f, 0.005f, 0.015f);
        QuantizedWeight q = QuantizedWeight.of(weight, -1);
        assertArrayEquals(new float[] {0.02f}, q.scales(), 1e-7f);
        // 0.005 / 0.02 = 0.25 rounds to 0; 0.015 / 0.02 = 0.75 rounds to 1.
        assertArrayEquals(new byte[] {64, -127, 0, 1}, bytes(q.values()));
        assertEquals(ElementType.INT8, q.values().elementType());
        assertEquals(0, q.zeroPointTensor("z").rank());
    }

    @Test
    void perChannelAlongTheOutputAxisScalesEachColumn() {
        Tensor weight = Tensor.ofFloats("w", new long[] {2, 2}, 1.27f, -0.0254f, -0.635f, 0.0127f);
        QuantizedWeight q = QuantizedWeight.of(weight, 1);
        assertArrayEquals(new float[] {0.01f, 0.0002f}, q.scales(), 1e-8f);
        assertArrayEquals(new byte[] {127, -127, -64, 64}, bytes(q.values()));
        assertArrayEquals(new long[] {2}, q.scaleTensor("s").dims());
    }

    @Test
    void perChannelAlongAxisZeroScalesEachConvFilter() {
        Tensor weight = Tensor.ofFloats("w", new long[] {2, 1, 1, 2}, 0.5f, -1f, 10f, 5f);
        QuantizedWeight q = QuantizedWeight.of(weight, 0);
        assertArrayEquals(new float[] {1f / 127, 10f / 127}, q.scales(), 1e-7f);
        assertArrayEquals(new byte[] {64, -127, 127, 64}, bytes(q.values()));
    }

    @Test
    void anAllZeroWeightGetsScaleOne() {
        QuantizedWeight q = QuantizedWeight.of(Tensor.ofFloats("w", new long[] {3}, 0f, 0f, 0f), -1);
        assertArrayEquals(new float[] {1f}, q.scales());
    }

    @Test
    void asymmetricUint8RangesHoldZeroExactly() {
        AffineParams params = AffineParams.covering(0.5f, 3.05f, QuantType.UINT8, false);
        // The range widens to [0, 3.05]: scale 3.05 / 255, zero point 0.
        assertEquals(3.05f / 255, params.scale(), 1e-7f);
        assertEquals(0, params.zeroPoint());
        AffineParams mixed = AffineParams.covering(-1f, 3f, QuantType.UINT8, false);
        assertEquals(64, mixed.zeroPoint());
        assertEquals(64, mixed.quantize(0f));
        assertEquals(255, mixed.quantize(100f));
        AffineParams symmetric = AffineParams.covering(-1f, 3f, QuantType.INT8, true);
        assertEquals(0, symmetric.zeroPoint());
        assertEquals(3f / 127, symmetric.scale(), 1e-7f);
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException axis = assertThrows(IllegalArgumentException.class,
                () -> QuantizedWeight.of(Tensor.ofFloats("w", new long[] {2}, 1f, 2f), 1));
        assertEquals("weight 'w' of rank 1: channel axis 1 is out of range", axis.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> AffineParams.covering(Float.NEGATIVE_INFINITY, 1f, QuantType.UINT8, false));
    }
}
