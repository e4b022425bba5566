package dev.tern.train.data;

import dev.tern.ir.NpyFormat;
import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyDatasetReaderTest {
    @TempDir
    Path temp;

    @Test
    void integerLabelsAreClasses() throws IOException {
        Path x = save(Tensor.ofDoubles("x", new long[] {3, 2, 2}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), "x.npy");
        Path y = save(Tensor.ofInts("y", new long[] {3}, 2, 0, 1), "y.npy");

        Dataset data = NpyDatasetReader.read(x, y);

        assertEquals(3, data.size());
        assertArrayEquals(new long[] {2, 2}, data.featureShape());
        assertArrayEquals(new float[] {4, 5, 6, 7}, data.features(1));
        assertEquals(LabelKind.CLASS_INDEX, data.labelKind());
        assertEquals(3, data.classCount());
        assertEquals(2, data.classLabel(0));
    }

    @Test
    void floatLabelsAreTargets() throws IOException {
        Path x = save(Tensor.ofFloats("x", new long[] {2, 1}, 1, 2), "x.npy");
        Path y = save(Tensor.ofFloats("y", new long[] {2, 3}, 1, 2, 3, 4, 5, 6), "y.npy");

        Dataset data = NpyDatasetReader.read(x, y);

        assertEquals(LabelKind.TARGET, data.labelKind());
        assertArrayEquals(new long[] {3}, data.targetShape());
        float[] target = new float[3];
        data.copyTarget(1, target, 0);
        assertArrayEquals(new float[] {4, 5, 6}, target);
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path x = save(Tensor.ofFloats("x", new long[] {2, 1}, 1, 2), "x.npy");
        Path y = save(Tensor.ofLongs("y", new long[] {3}, 0, 1, 0), "y.npy");

        DatasetException e = assertThrows(DatasetException.class, () -> NpyDatasetReader.read(x, y));
        assertEquals(y + ": expected 2 labels (one per example in x.npy), found shape [3]", e.getMessage());
    }

    @Test
    void negativeClassIsRefused() throws IOException {
        Path x = save(Tensor.ofFloats("x", new long[] {2}, 1, 2), "x.npy");
        Path y = save(Tensor.ofLongs("y", new long[] {2}, 0, -1), "y.npy");

        DatasetException e = assertThrows(DatasetException.class, () -> NpyDatasetReader.read(x, y));
        assertTrue(e.getMessage().contains("label of example 1 is -1"), e.getMessage());
    }

    private Path save(Tensor tensor, String name) throws IOException {
        Path file = temp.resolve(name);
        NpyFormat.write(tensor, file);
        return file;
    }
}
