package dev.tern.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.onnx.OnnxExporter;
import dev.tern.spark.internal.ExecutorCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TernModel} on a small model built in code, in {@code local[2]}. */
class TernModelTest {
    private static final StructType ARRAYS = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("features", DataTypes.createArrayType(DataTypes.DoubleType, true), true);

    private final SparkSession spark = LocalSpark.session();

    @TempDir
    Path folder;

    /** Rows 0..n-1 with features [i, i + 0.5, -i], in two partitions. */
    private Dataset<Row> ramp(int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(i, Arrays.asList((double) i, i + 0.5, (double) -i)));
        }
        return spark.createDataFrame(rows, ARRAYS).repartition(2);
    }

    private static TernModel.Builder affine() {
        return TernModel.builder().modelBytes(AffineModel.bytes()).input("features", "x").output("y", "y");
    }

    private static double[] features(Row row) {
        List<Double> values = row.getList(row.fieldIndex("features"));
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static float[] floats(Row row, String column) {
        List<Float> values = row.getList(row.fieldIndex(column));
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    @Test
    void arrayColumnsInArrayColumnsOut() {
        List<Row> rows = affine().build().transform(ramp(50)).collectAsList();
        assertEquals(50, rows.size());
        for (Row row : rows) {
            assertArrayEquals(AffineModel.expected(features(row)), floats(row, "y"), "row " + row);
        }
    }

    @Test
    void vectorColumnsFeedFloatInputs() {
        StructType schema = new StructType().add("v", SQLDataTypes.VectorType(), false);
        Dataset<Row> data = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3)),
                RowFactory.create(Vectors.sparse(3, new int[] {1}, new double[] {-4}))), schema);
        TernModel model = TernModel.builder().modelBytes(AffineModel.bytes()).input("v", "x").output("y", "y").build();
        List<Row> rows = model.transform(data).collectAsList();
        assertArrayEquals(new float[] {3, 5, 7}, floats(rows.get(0), "y"));
        assertArrayEquals(new float[] {1, -7, 1}, floats(rows.get(1), "y"));
    }

    @Test
    void rowsAreBatchedIntoRunsOfRowsPerRun() {
        // One partition of 20 rows with 8 rows per run: runs of 8, 8 and 4.
        TernModel model = affine().output("run_size", "run_size").rowsPerRun(8).build();
        List<Row> rows = model.transform(ramp(20).coalesce(1)).collectAsList();
        float[] sizes = new float[rows.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = floats(rows.get(i), "run_size")[0];
        }
        float[] expected = new float[20];
        Arrays.fill(expected, 0, 16, 8);
        Arrays.fill(expected, 16, 20, 4);
        assertArrayEquals(expected, sizes);
    }

    @Test
    void theModelIsCompiledOncePerJvmAndShared() throws IOException {
        Path file = folder.resolve("affine.onnx");
        OnnxExporter.write(AffineModel.model(), file);
        // A thread count no other test uses, so this test's compilation is its own.
        TernModel model = TernModel.builder().modelFile(file).input("features", "x").output("y", "y")
                .rowsPerRun(4).threadsPerTask(3).build();
        int before = ExecutorCache.compilations();
        // Two tasks at once (local[2]), 25 runs each, and a second job on the same model.
        assertEquals(200, model.transform(ramp(200)).count());
        assertEquals(200, model.transform(ramp(200)).collectAsList().size());
        assertEquals(before + 1, ExecutorCache.compilations());
    }

    @Test
    void aRowOfTheWrongLengthFailsTheTaskNamingColumnAndRow() {
        List<Row> rows = List.of(RowFactory.create(0, Arrays.asList(1.0, 2.0, 3.0)),
                RowFactory.create(1, Arrays.asList(1.0, 2.0)));
        Dataset<Row> data = spark.createDataFrame(rows, ARRAYS).coalesce(1);
        Exception e = assertThrows(Exception.class, () -> affine().build().transform(data).collectAsList());
        assertTrue(e.getMessage().contains("column 'features', row 1 of partition 0: has 2 values; model input 'x'"
                + " needs 3 per row ([batch, 3])"), e.getMessage());
    }

    @Test
    void aNullFailsTheTaskNamingColumnAndRow() {
        List<Row> rows = List.of(RowFactory.create(0, null));
        Dataset<Row> data = spark.createDataFrame(rows, ARRAYS).coalesce(1);
        Exception e = assertThrows(Exception.class, () -> affine().build().transform(data).collectAsList());
        assertTrue(e.getMessage().contains("column 'features', row 0 of partition 0: is null"), e.getMessage());
    }

    @Test
    void withAnErrorColumnBadRowsGetTheReasonAndGoodRowsTheirOutputs() {
        List<Row> rows = List.of(RowFactory.create(0, Arrays.asList(1.0, 2.0, 3.0)),
                RowFactory.create(1, null),
                RowFactory.create(2, Arrays.asList(1.0, null, 3.0)),
                RowFactory.create(3, Arrays.asList(-1.0, 0.0, 1.0)));
        Dataset<Row> data = spark.createDataFrame(rows, ARRAYS).coalesce(1);
        List<Row> out = affine().errorColumn("error").build().transform(data).collectAsList();
        assertArrayEquals(new float[] {3, 5, 7}, floats(out.get(0), "y"));
        assertNull(out.get(0).getAs("error"));
        assertNull(out.get(1).getAs("y"));
        assertEquals("column 'features', row 1 of partition 0: is null", out.get(1).getAs("error"));
        assertNull(out.get(2).getAs("y"));
        assertEquals("column 'features', row 2 of partition 0: element 1 is null, expected a number",
                out.get(2).getAs("error"));
        assertArrayEquals(new float[] {-1, 1, 3}, floats(out.get(3), "y"));
    }

    @Test
    void theSqlFunctionRunsTheModelOnAColumn() {
        affine().build().registerFunction(spark, "tern_affine");
        ramp(10).createOrReplaceTempView("ramp");
        List<Row> rows = spark.sql("SELECT id, features, tern_affine(features) AS y FROM ramp ORDER BY id")
                .collectAsList();
        assertEquals(10, rows.size());
        for (Row row : rows) {
            assertArrayEquals(AffineModel.expected(features(row)), floats(row, "y"), "row " + row);
        }
    }

    @Test
    void theSqlFunctionReturnsAStructForSeveralOutputs() {
        affine().output("run_size", "run_size").build().registerFunction(spark, "tern_affine_both");
        ramp(3).createOrReplaceTempView("ramp3");
        Row row = spark.sql("SELECT tern_affine_both(features) AS out FROM ramp3 WHERE id = 2").first().getStruct(0);
        assertArrayEquals(new float[] {5, 6, -3}, floats(row, "y"));
        assertArrayEquals(new float[] {1, 1, 1}, floats(row, "run_size"));
    }

    @Test
    void aColumnOfTheWrongTypeIsRefusedBeforeAnyTaskRuns() {
        StructType schema = new StructType().add("features", DataTypes.StringType);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> affine().build().transformSchema(schema));
        assertEquals("column 'features' is string; model input 'x' (FLOAT) takes an array of numbers or an ML vector",
                e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> affine().build().transformSchema(new StructType().add("other", DataTypes.StringType)));
        assertEquals("no column 'features' in the data set's columns [other]", missing.getMessage());
    }

    @Test
    void theBuilderChecksTheMappingAgainstTheModel() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> TernModel.builder().modelBytes(AffineModel.bytes()).input("f", "z").output("y", "y").build());
        assertTrue(unknown.getMessage().endsWith("unknown input 'z', expected one of [x]"), unknown.getMessage());
        IllegalArgumentException unfed = assertThrows(IllegalArgumentException.class,
                () -> TernModel.builder().modelBytes(AffineModel.bytes()).textInput("t", new byte[0], 8)
                        .output("y", "y").build());
        assertTrue(unfed.getMessage().endsWith("unknown input 'input_ids', expected one of [x]"), unfed.getMessage());
        IllegalArgumentException output = assertThrows(IllegalArgumentException.class,
                () -> affine().output("nope", "n").build());
        assertTrue(output.getMessage().endsWith("unknown output 'nope', expected one of [y, run_size]"),
                output.getMessage());
    }
}
