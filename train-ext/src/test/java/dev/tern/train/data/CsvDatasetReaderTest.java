package dev.tern.train.data;

import dev.tern.train.DataSets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    @Test
    void readsWineAsScikitLearnShipsIt() throws IOException {
        Dataset wine = CsvDatasetReader.of(DataSets.file("wine.csv"), LabelColumn.last()).skipLines(1).noHeader().read();

        assertEquals(178, wine.size());
        assertArrayEquals(new long[] {13}, wine.featureShape());
        assertEquals(List.of("0", "1", "2"), wine.classNames());
        // Line 2 of the file: 14.23,1.71,...,1065,0; the last line ends with 2.
        assertEquals(14.23f, wine.features(0)[0]);
        assertEquals(1065f, wine.features(0)[12]);
        assertEquals(0, wine.classLabel(0));
        assertEquals(2, wine.classLabel(177));
    }

    @Test
    void labelColumnByNumberCountsFromOne() throws IOException {
        Dataset iris = CsvDatasetReader.of(DataSets.file("iris.csv"), LabelColumn.numbered(1)).targets().read();

        // sepal_length is the target; the species label column becomes the last feature.
        float[] target = new float[1];
        iris.copyTarget(0, target, 0);
        assertEquals(5.1f, target[0]);
        assertArrayEquals(new float[] {3.5f, 1.4f, 0.2f, 0}, iris.features(0));
    }

    @Test
    void classIndexBeyondTheClassCountNamesItsLine() throws IOException {
        Path csv = write("a,label\n1,0\n2,2\n3,3\n");

        DatasetException e = assertThrows(DatasetException.class,
                () -> CsvDatasetReader.of(csv, "label").classCount(3).read());

        assertEquals(csv + ": line 4, column 2 ('label'): class label 3 is outside the 3 classes, numbered 0 to 2",
                e.getMessage());
    }

    @Test
    void classCountNamesClassesTheDataLacks() throws IOException {
        Dataset data = CsvDatasetReader.of(write("a,label\n1,0\n2,1\n"), "label").classCount(4).read();

        assertEquals(List.of("0", "1", "2", "3"), data.classNames());
    }

    @Test
    void classNamesAreNumberedInSortedOrder() throws IOException {
        Path csv = write("x,species\n1,virginica\n2,setosa\n3,versicolor\n4,setosa\n");

        Dataset data = CsvDatasetReader.of(csv, "species").read();

        assertEquals(List.of("setosa", "versicolor", "virginica"), data.classNames());
        assertEquals(2, data.classLabel(0));
        assertEquals(0, data.classLabel(1));
        assertEquals(1, data.classLabel(2));
        assertEquals(0, data.classLabel(3));
    }

    @Test
    void givenClassNamesNumberTheLabelsAndRefuseOthers() throws IOException {
        List<String> training = List.of("setosa", "versicolor", "virginica");
        Dataset data = CsvDatasetReader.of(write("x,species\n1,virginica\n"), "species").classNames(training).read();
        assertEquals(training, data.classNames());
        assertEquals(2, data.classLabel(0));

        Path csv = write("x,species\n1,virginica\n2,versicolour\n");
        DatasetException e = assertThrows(DatasetException.class,
                () -> CsvDatasetReader.of(csv, "species").classNames(training).read());
        assertEquals(csv + ": line 3, column 2 ('species'): class 'versicolour' is not one of the classes "
                + training, e.getMessage());
    }

    @Test
    void classNamesMustBeAsManyAsTheClassCount() throws IOException {
        Path csv = write("x,species\n1,setosa\n2,virginica\n");

        DatasetException e = assertThrows(DatasetException.class,
                () -> CsvDatasetReader.of(csv, "species").classCount(3).read());

        assertEquals(csv + ": the labels name 2 classes [setosa, virginica], expected 3", e.getMessage());
    }

    @Test
    void indicesAndNamesDoNotMix() throws IOException {
        Path csv = write("x,label\n1,0\n2,1\n3,two\n");

        DatasetException e = assertThrows(DatasetException.class, () -> CsvDatasetReader.of(csv, "label").read());

        assertEquals(csv + ": line 4, column 2 ('label'): class label 'two' is a class name, but line 2 has a class "
                + "index; a label column holds class indices or class names, not both", e.getMessage());
    }

    @Test
    void anEmptyLabelIsRefused() throws IOException {
        Path csv = write("x,label\n1,a\n2, \n");

        DatasetException e = assertThrows(DatasetException.class, () -> CsvDatasetReader.of(csv, "label").read());

        assertEquals(csv + ": line 3, column 2 ('label'): the class label is empty", e.getMessage());
    }

    @Test
    void withoutAHeaderErrorsNameTheColumnByNumberAndTheFirstRowSetsTheWidth() throws IOException {
        Path csv = write("facts\n1,2,0\n3,x,1\n");
        DatasetException badCell = assertThrows(DatasetException.class,
                () -> CsvDatasetReader.of(csv, LabelColumn.last()).skipLines(1).noHeader().read());
        assertEquals(csv + ": line 3, column 2: 'x' is not a number", badCell.getMessage());

        Path ragged = write("1,2,0\n\n3,1\n");
        DatasetException e = assertThrows(DatasetException.class,
                () -> CsvDatasetReader.of(ragged, LabelColumn.last()).noHeader().read());
        assertEquals(ragged + ": line 3: expected 3 cells as in line 1, found 2", e.getMessage());
    }

    @Test
    void aNamedLabelColumnNeedsAHeader() throws IOException {
        Path csv = write("1,2,0\n");

        DatasetException e = assertThrows(DatasetException.class,
                () -> CsvDatasetReader.of(csv, "label").noHeader().read());

        assertEquals(csv + ": no header row to find the label column 'label' in; give the label column's number or "
                + "'last'", e.getMessage());
    }

    @Test
    void aLabelColumnNumberPastTheRowIsRefused() throws IOException {
        Path csv = write("1,2,0\n");

        DatasetException e = assertThrows(DatasetException.class,
                () -> CsvDatasetReader.of(csv, LabelColumn.numbered(4)).noHeader().read());

        assertEquals(csv + ": line 1: no label column 4, the rows have 3 columns", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LabelColumn.numbered(0));
    }

    @Test
    void skippingPastTheEndIsRefused() throws IOException {
        Path csv = write("facts\n");

        DatasetException tooFew = assertThrows(DatasetException.class,
                () -> CsvDatasetReader.of(csv, LabelColumn.last()).skipLines(2).read());
        assertEquals(csv + ": the file has fewer than the 2 lines to skip", tooFew.getMessage());
        DatasetException empty = assertThrows(DatasetException.class,
                () -> CsvDatasetReader.of(csv, LabelColumn.last()).skipLines(1).noHeader().read());
        assertEquals(csv + ": the file is empty after the 1 line skipped, expected data rows", empty.getMessage());
    }

    private Path write(String content) throws IOException {
        Path file = temp.resolve("data.csv");
        Files.writeString(file, content);
        return file;
    }
}
