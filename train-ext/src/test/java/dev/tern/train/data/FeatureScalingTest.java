package dev.tern.train.data;

import dev.tern.exec.CompiledModel;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.DataSets;
import dev.tern.train.RuntimeExtension;
import dev.tern.train.TrainingException;
import dev.tern.train.models.ModelTemplates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-feature scaling on scikit-learn's wine table (13 unscaled columns, from below 1 to over
 * 1,000), split 80/20 stratified with seed 1: the statistics come from the training part, and
 * the nodes put in front of a model compute exactly what training computed.
 */
class FeatureScalingTest extends RuntimeExtension {
    private static final int FEATURES = 13;

    private static Split wine;

    @BeforeAll
    static void readWine() throws IOException {
        wine = CsvDatasetReader.of(DataSets.file("wine.csv"), LabelColumn.last()).skipLines(1).noHeader().read()
                .splitStratified(0.2, 1);
    }

    @Test
    void standardizationGivesEachTrainingFeatureMeanZeroAndDeviationOne() {
        float[][] scaled = scaledRows(FeatureScaling.standardize(wine.train()), wine.train());

        for (int column = 0; column < FEATURES; column++) {
            double mean = mean(scaled, column);
            double deviation = deviation(scaled, column, mean);
            assertEquals(0, mean, 1e-5, "mean of column " + (column + 1));
            assertEquals(1, deviation, 1e-5, "deviation of column " + (column + 1));
        }
    }

    @Test
    void minMaxScalingMapsEachTrainingFeatureOntoZeroToOne() {
        float[][] scaled = scaledRows(FeatureScaling.minMax(wine.train()), wine.train());

        for (int column = 0; column < FEATURES; column++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float[] row : scaled) {
                min = Math.min(min, row[column]);
                max = Math.max(max, row[column]);
            }
            assertEquals(0, min, 0, "minimum of column " + (column + 1));
            assertEquals(1, max, 1e-6, "maximum of column " + (column + 1));
        }
    }

    @Test
    void constantFeaturesAreOnlyShifted() throws IOException {
        // Pixel p0 of every digit is 0: dividing by its spread would divide by zero.
        Dataset digits = CsvDatasetReader.of(DataSets.file("digits.csv"), "label").read();
        for (FeatureScaling scaling : List.of(FeatureScaling.standardize(digits), FeatureScaling.minMax(digits))) {
            assertEquals(1f, scaling.divisors().toFloatArray()[0], scaling.toString());
            assertEquals(0f, scaledRows(scaling, digits)[0][0], scaling.toString());
        }
    }

    @Test
    void scalingWrittenIntoAModelComputesExactlyWhatTrainingComputed() {
        FeatureScaling scaling = FeatureScaling.standardize(wine.train());
        Model mlp = ModelTemplates.mlp(FEATURES, new int[] {8}, 3, 1);
        int nodesBefore = mlp.graph().nodeCount();
        Model served = scaling.prependTo(mlp, ModelTemplates.INPUT);
        Tensor raw = Tensor.ofFloats("input", new long[] {wine.validation().size(), FEATURES}, flatten(rows(wine.validation())));
        Tensor scaledInJava = Tensor.ofFloats("input", raw.dims(), flatten(scaledRows(scaling, wine.validation())));

        try (CompiledModel plain = runtime.compile(mlp); CompiledModel withScaling = runtime.compile(served)) {
            float[] expected = plain.run(Map.of(ModelTemplates.INPUT, scaledInJava)).get(ModelTemplates.LOGITS).toFloatArray();
            float[] actual = withScaling.run(Map.of(ModelTemplates.INPUT, raw)).get(ModelTemplates.LOGITS).toFloatArray();
            assertArrayEquals(expected, actual);
        }
        List<Node> nodes = served.graph().nodes();
        assertEquals(List.of("Sub", "Div"), List.of(nodes.get(0).opType(), nodes.get(1).opType()));
        assertEquals(mlp.opsetImports(), served.opsetImports());
        assertEquals(mlp.graph().inputs().get(0).type(), served.graph().inputs().get(0).type());
        assertTrue(served.graph().initializers().containsKey("input_scaling_offset"), served.graph().initializers()::toString);
        assertEquals(nodesBefore, mlp.graph().nodeCount(), "the model given is unchanged");
        assertEquals(nodesBefore + 2, served.graph().nodeCount());
    }

    @Test
    void scalingAppendedToAnOutputUndoesWhatTrainingDid() {
        FeatureScaling scaling = FeatureScaling.minMax(wine.train());
        Model regression = ModelTemplates.regressionMlp(FEATURES, new int[] {8}, FEATURES, 1);
        Model restoring = scaling.appendInverseTo(regression, ModelTemplates.PREDICTION);
        Tensor input = Tensor.ofFloats("input", new long[] {wine.validation().size(), FEATURES},
                flatten(scaledRows(scaling, wine.validation())));

        try (CompiledModel plain = runtime.compile(regression); CompiledModel restored = runtime.compile(restoring)) {
            float[] scaled = plain.run(Map.of(ModelTemplates.INPUT, input)).get(ModelTemplates.PREDICTION).toFloatArray();
            float[] raw = restored.run(Map.of(ModelTemplates.INPUT, input)).get(ModelTemplates.PREDICTION).toFloatArray();
            for (int row = 0; row < wine.validation().size(); row++) {
                scaling.apply(raw, row * FEATURES, FEATURES);
            }
            assertArrayEquals(scaled, raw, 1e-4f, "scaling the restored output gives the model's own");
        }
        assertEquals(List.of("Mul", "Add"), restoring.graph().nodes().subList(regression.graph().nodeCount(),
                restoring.graph().nodeCount()).stream().map(Node::opType).toList());
        assertEquals(regression.graph().outputs().get(0).type(), restoring.graph().outputs().get(0).type());
        TrainingException missing = assertThrows(TrainingException.class,
                () -> scaling.appendInverseTo(regression, "pixels"));
        assertEquals("graph 'mlp' has no output 'pixels' to scale; its outputs are [prediction]", missing.getMessage());
    }

    @Test
    void divisionIsAScalingAModelCanCarry() {
        FeatureScaling sixteenths = FeatureScaling.divideBy(16, new long[] {2, 2});
        float[] values = {16, 8, 0, 4};
        sixteenths.apply(values, 0, 4);
        assertArrayEquals(new float[] {1, 0.5f, 0, 0.25f}, values);
        assertArrayEquals(new long[] {2, 2}, sixteenths.divisors().dims());
        assertThrows(DatasetException.class, () -> FeatureScaling.divideBy(0, new long[] {4}));
    }

    @Test
    void prependingRefusesAnInputThatDoesNotFitTheScaling() {
        FeatureScaling scaling = FeatureScaling.minMax(wine.train());

        TrainingException missing = assertThrows(TrainingException.class,
                () -> scaling.prependTo(ModelTemplates.mlp(FEATURES, new int[] {8}, 3, 1), "features"));
        assertEquals("graph 'mlp' has no input 'features' to scale; its inputs are [input]", missing.getMessage());

        TrainingException narrow = assertThrows(TrainingException.class,
                () -> scaling.prependTo(ModelTemplates.mlp(4, new int[] {8}, 3, 1), ModelTemplates.INPUT));
        assertEquals("input 'input' is tensor(float)[batch,4]; the scaling was computed for float [batch, 13]",
                narrow.getMessage());

        TrainingException old = assertThrows(TrainingException.class,
                () -> scaling.prependTo(echo(6), "x"));
        assertTrue(old.getMessage().contains("opset 7 or later"), old.getMessage());
    }

    /** y = Identity(x) for x [batch, 13], in the given opset. */
    private static Model echo(long opset) {
        GraphBuilder g = GraphBuilder.create("echo");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(FEATURES));
        g.output(g.op("Identity", x), "y");
        return g.toModel(opset);
    }

    private static float[][] rows(Dataset data) {
        float[][] rows = new float[data.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = data.features(i);
        }
        return rows;
    }

    private static float[][] scaledRows(Normalization scaling, Dataset data) {
        float[][] rows = rows(data);
        for (float[] row : rows) {
            scaling.apply(row, 0, row.length);
        }
        return rows;
    }

    private static float[] flatten(float[][] rows) {
        float[] values = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, values, i * rows[0].length, rows[0].length);
        }
        return values;
    }

    private static double mean(float[][] rows, int column) {
        double sum = 0;
        for (float[] row : rows) {
            sum += row[column];
        }
        return sum / rows.length;
    }

    /** The population standard deviation, as the scaling computes it. */
    private static double deviation(float[][] rows, int column, double mean) {
        double squares = 0;
        for (float[] row : rows) {
            squares += (row[column] - mean) * (row[column] - mean);
        }
        return Math.sqrt(squares / rows.length);
    }
}
