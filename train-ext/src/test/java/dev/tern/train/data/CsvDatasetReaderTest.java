package dev.tern.train.data;

import dev.tern.train.DataSets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvDatasetReaderTest {

    @TempDir
    Path temp;

    @Test
    void readsDigitsAsImages() throws IOException {
        Dataset digits = CsvDatasetReader.of(DataSets.file("digits.csv"), "label").featureShape(1, 8, 8).read();

        assertEquals(1797, digits.size());
        assertArrayEquals(new long[] {1, 8, 8}, digits.featureShape());
        assertEquals(64, digits.featureSize());
        assertEquals(LabelKind.CLASS_INDEX, digits.labelKind());
        assertEquals(10, digits.classCount());
        // First row of the file: 0,0,5,13,9,1,0,0,... label 0.
        float[] first = digits.features(0);
        assertEquals(5f, first[2]);
        assertEquals(13f, first[3]);
        assertEquals(0, digits.classLabel(0));
        for (int i = 0; i < digits.size(); i++) {
            long label = digits.classLabel(i);
            assertTrue(label >= 0 && label < 10, "label " + label);
            for (float pixel : digits.features(i)) {
                assertTrue(pixel >= 0 && pixel <= 16, "grey level " + pixel);
            }
        }
    }

    @Test
    void readsIrisAsTable() throws IOException {
        Dataset iris = CsvDatasetReader.of(DataSets.file("iris.csv"), "label").read();

        assertEquals(150, iris.size());
        assertArrayEquals(new long[] {4}, iris.featureShape());
        assertEquals(3, iris.classCount());
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, iris.features(0));
        assertEquals(2, iris.classLabel(149));
    }

    @Test
    void readsLabelAsFloatTarget() throws IOException {
        Path csv = write("x,y,z\n1,0.5,2\n3,-1.25,4\n");
        Dataset data = CsvDatasetReader.of(csv, "y").targets().read();

        assertEquals(LabelKind.TARGET, data.labelKind());
        assertArrayEquals(new long[] {1}, data.targetShape());
        assertArrayEquals(new float[] {3, 4}, data.features(1));
        float[] target = new float[1];
        data.copyTarget(1, target, 0);
        assertEquals(-1.25f, target[0]);
    }

    @Test
    void missingLabelColumnNamesTheColumns() throws IOException {
        Path csv = write("a,b\n1,2\n");
        DatasetException e = assertThrows(DatasetException.class, () -> CsvDatasetReader.of(csv, "label").read());
        assertEquals(csv + ": line 1: no label column 'label', the columns are [a, b]", e.getMessage());
    }

    @Test
    void nonNumericCellNamesLineAndColumn() throws IOException {
        Path csv = write("a,b,label\n1,2,0\n3,x4,1\n");
        DatasetException e = assertThrows(DatasetException.class, () -> CsvDatasetReader.of(csv, "label").read());
        assertEquals(csv + ": line 3, column 2 ('b'): 'x4' is not a number", e.getMessage());
    }

    @Test
    void fractionalClassLabelIsRefused() throws IOException {
        Path csv = write("a,label\n1,0.5\n");
        DatasetException e = assertThrows(DatasetException.class, () -> CsvDatasetReader.of(csv, "label").read());
        assertEquals(csv + ": line 2, column 2 ('label'): class label '0.5' is not a non-negative integer", e.getMessage());
    }

    @Test
    void raggedRowNamesLineAndCounts() throws IOException {
        Path csv = write("a,b,label\n1,2,0\n\n3,1\n");
        DatasetException e = assertThrows(DatasetException.class, () -> CsvDatasetReader.of(csv, "label").read());
        assertEquals(csv + ": line 4: expected 3 cells as in the header, found 2", e.getMessage());
    }

    @Test
    void featureShapeMustHoldEveryColumn() throws IOException {
        Path csv = write("a,b,c,label\n1,2,3,0\n");
        DatasetException e = assertThrows(DatasetException.class,
                () -> CsvDatasetReader.of(csv, "label").featureShape(2, 2).read());
        assertTrue(e.getMessage().contains("feature shape 2x2 holds 4 values, but the file has 3 feature columns"),
                e.getMessage());
    }

    @Test
    void headerOnlyFileIsRefused() throws IOException {
        Path csv = write("a,label\n");
        DatasetException e = assertThrows(DatasetException.class, () -> CsvDatasetReader.of(csv, "label").read());
        assertEquals(csv + ": no data rows after the header", e.getMessage());
    }

    private Path write(String content) throws IOException {
        Path file = temp.resolve("data.csv");
        Files.writeString(file, content);
        return file;
    }
}
