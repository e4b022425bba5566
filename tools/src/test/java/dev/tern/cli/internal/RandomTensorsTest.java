package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RandomTensorsTest {
    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"FLOAT", "DOUBLE", "FLOAT16", "BFLOAT16"})
    void floatingPointValuesAreInZeroToOne(ElementType type) {
        Tensor tensor = new RandomTensors(1).generate("x", type, new long[] {50, 20});

        TensorStatistics.Numbers stats = (TensorStatistics.Numbers) TensorStatistics.of(tensor);
        assertArrayEquals(new long[] {50, 20}, tensor.dims());
        assertTrue(stats.min() >= 0 && stats.max() < 1, stats::toString);
        assertTrue(stats.mean() > 0.4 && stats.mean() < 0.6, "spread over [0, 1): " + stats);
    }

    @ParameterizedTest
    @EnumSource(value = ElementType.class, names = {"INT8", "UINT8", "INT16", "INT32", "INT64", "UINT64"})
    void integersAreZeroOrOne(ElementType type) {
        Tensor tensor = new RandomTensors(1).generate("ids", type, new long[] {1000});

        TensorStatistics.Numbers stats = (TensorStatistics.Numbers) TensorStatistics.of(tensor);
        assertEquals(0, stats.min());
        assertEquals(1, stats.max());
    }

    @Test
    void sameSeedSameTensors() {
        Tensor first = new RandomTensors(5).generate("x", ElementType.FLOAT, new long[] {8});
        Tensor second = new RandomTensors(5).generate("x", ElementType.FLOAT, new long[] {8});

        assertTrue(first.contentEquals(second));
    }

    @Test
    void typesWithNoRandomValuesAskForAFile() {
        RuntimeException error = assertThrows(RuntimeException.class,
                () -> new RandomTensors(1).generate("c", ElementType.COMPLEX64, new long[] {2}));

        assertEquals("input 'c' has element type complex64, which tern does not generate at random;"
                + " give it with --input c=FILE.npy", error.getMessage());
    }

    @Test
    void hugeShapesAreRefusedBeforeAllocating() {
        RuntimeException error = assertThrows(RuntimeException.class,
                () -> new RandomTensors(1).generate("x", ElementType.FLOAT, new long[] {1L << 20, 1L << 20}));

        assertTrue(error.getMessage().contains("too many elements"), error::getMessage);
    }
}
