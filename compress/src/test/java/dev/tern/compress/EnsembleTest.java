package dev.tern.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.Pass;
import dev.tern.ir.passes.PassException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ensembles of small built classifiers, run on ONNX Runtime against values computed here. */
class EnsembleTest {
    private static final int CLASSES = 3;
    private static final float[] ONES = {1, 1, 1};
    private static final float[] FAVOUR_MIDDLE = {1, 2, 1};
    private static final float[] FAVOUR_LAST = {1, 1, 3};
    /** Row 0: votes 1, 1, 2 while the mean favours class 2. Row 1: one vote each, the mean decides. */
    private static final float[] X = {0, 1, 0.9f, 1, 0.9f, 0.8f};

    private static Runtime runtime;

    @BeforeAll
    static void openRuntime() {
        runtime = Runtime.create();
    }

    @AfterAll
    static void closeRuntime() {
        runtime.close();
    }

    @Test
    void theBuildRunsUnderTheDefUseVerifier() {
        assertTrue(Pass.verifiesByDefault(), "the build sets " + Pass.VERIFY_PROPERTY + " for tests");
    }

    @Test
    void meanAveragesSoftmaxOfLogitsAndTakesSoftmaxOutputsAsTheyAre() {
        Model ensemble = Ensemble.merge(List.of(Members.scaling("a", FAVOUR_MIDDLE),
                Members.scalingWithSoftmax("b", FAVOUR_LAST)), CombineMode.MEAN);

        double[] a = Members.softmaxRows(Members.scaled(X, FAVOUR_MIDDLE), CLASSES);
        double[] b = Members.softmaxRows(Members.scaled(X, FAVOUR_LAST), CLASSES);
        assertClose(combine(List.of(a, b), new double[] {0.5, 0.5}), run(ensemble).get("probabilities").toFloatArray());
        assertEquals(1, count(ensemble, "Softmax") - 1, "member b's own Softmax is not applied twice");
    }

    @Test
    void weightedScalesTheWeightsToSumToOne() {
        Model ensemble = Ensemble.weighted(List.of(Members.scaling("a", ONES), Members.scaling("b", FAVOUR_LAST)), 3, 1);

        double[] a = Members.softmaxRows(Members.scaled(X, ONES), CLASSES);
        double[] b = Members.softmaxRows(Members.scaled(X, FAVOUR_LAST), CLASSES);
        assertClose(combine(List.of(a, b), new double[] {0.75, 0.25}), run(ensemble).get("probabilities").toFloatArray());
    }

    @Test
    void voteTakesTheMajorityAndBreaksTiesByMeanProbability() {
        List<float[]> scales = List.of(ONES, FAVOUR_MIDDLE, FAVOUR_LAST);
        Model ensemble = Ensemble.merge(List.of(Members.scaling("a", ONES), Members.scaling("b", FAVOUR_MIDDLE),
                Members.scaling("c", FAVOUR_LAST)), CombineMode.VOTE);

        List<double[]> members = scales.stream().map(s -> Members.softmaxRows(Members.scaled(X, s), CLASSES)).toList();
        double[] mean = combine(members, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0});
        Map<String, Tensor> outputs = run(ensemble);
        assertClose(mean, outputs.get("probabilities").toFloatArray());
        long[] labels = outputs.get("label").toLongArray();
        assertArrayEquals(new long[] {1, expectedTieBreak(mean, 1)}, labels);
        assertEquals(2, argmax(mean, 0), "row 0's mean favours class 2, so the vote differs from the mean");
    }

    @Test
    void namesArePrefixedPerMemberAndInputsShared() {
        Model ensemble = Ensemble.merge(List.of(Members.scaling("a", ONES), Members.scaling("b", FAVOUR_LAST)),
                CombineMode.MEAN);

        assertEquals(List.of("x"), ensemble.graph().inputs().stream().map(Value::name).toList());
        assertTrue(ensemble.graph().initializers().containsKey("m0/scale"), ensemble.graph().initializers().keySet().toString());
        assertTrue(ensemble.graph().initializers().containsKey("m1/scale"), ensemble.graph().initializers().keySet().toString());
        List<String> memberValues = ensemble.graph().nodes().stream().filter(n -> n.opType().equals("Mul"))
                .map(n -> n.output(0).name()).toList();
        assertEquals(List.of("m0/logits", "m1/logits"), memberValues);
        assertEquals(17L, ensemble.opsetImports().get(""));
    }

    @Test
    void aMemberOfAnotherLayoutIsFedThroughAReshape() {
        float[] scale = {1, 2, 3, 4};
        Model ensemble = Ensemble.merge(List.of(Members.scaling("flat", scale), Members.imageScaling("image", scale)),
                CombineMode.MEAN);

        assertEquals(1, count(ensemble, "Reshape"));
        float[] x = {0.1f, 0.2f, 0.3f, 0.4f, 1, 0, -1, 0.5f};
        double[] each = Members.softmaxRows(Members.scaled(x, scale), scale.length);
        float[] found = runtime.compile(ensemble).run(Map.of("x", Tensor.ofFloats("x", new long[] {2, 4}, x)))
                .get("probabilities").toFloatArray();
        assertClose(each, found);
    }

    @Test
    void disagreeingInputsAreRefusedNamingMemberAndInput() {
        Model threeClasses = Members.scaling("a", ONES);
        Model fourClasses = Members.scaling("b", 1, 1, 1, 1);
        PassException dims = assertThrows(PassException.class,
                () -> Ensemble.merge(List.of(threeClasses, fourClasses), CombineMode.MEAN));
        assertInstanceOf(EnsembleException.class, dims.getCause());
        assertTrue(dims.getMessage().contains("pass 'ensemble'") && dims.getMessage().contains("member 1 input 'x'") && dims.getMessage().contains("dimension 1 differs"),
                dims.getMessage());

        Model image = Members.imageScaling("image", 1, 1, 1, 1);
        PassException rank = assertThrows(PassException.class,
                () -> Ensemble.merge(List.of(threeClasses, image), CombineMode.MEAN));
        assertTrue(rank.getMessage().contains("member 1 input 'x'") && rank.getMessage().contains("no Reshape fits"),
                rank.getMessage());
    }

    @Test
    void membersAtOtherOpsetsAreRefused() {
        Model older = Members.scaling("old", ONES);
        older.opsetImports().put("", 13L);
        EnsembleException e = assertThrows(EnsembleException.class,
                () -> Ensemble.merge(List.of(Members.scaling("a", ONES), older), CombineMode.MEAN));
        assertTrue(e.getMessage().contains("member 0 imports 17, member 1 imports 13"), e.getMessage());
    }

    @Test
    void weightsMustFitTheMembers() {
        List<Model> two = List.of(Members.scaling("a", ONES), Members.scaling("b", ONES));
        assertThrows(IllegalArgumentException.class, () -> Ensemble.weighted(two, 1));
        assertThrows(IllegalArgumentException.class, () -> Ensemble.weighted(two, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> Ensemble.weighted(two, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Ensemble.merge(List.of(two.get(0)), CombineMode.MEAN));
    }

    private static Map<String, Tensor> run(Model ensemble) {
        try (CompiledModel compiled = runtime.compile(ensemble)) {
            return compiled.run(Map.of("x", Tensor.ofFloats("x", new long[] {2, CLASSES}, X)));
        }
    }

    private static double[] combine(List<double[]> members, double[] weights) {
        double[] combined = new double[members.get(0).length];
        for (int member = 0; member < members.size(); member++) {
            for (int i = 0; i < combined.length; i++) {
                combined[i] += weights[member] * members.get(member)[i];
            }
        }
        return combined;
    }

    /** Row {@code row} has one vote per class, so the label is the class with the highest mean. */
    private static long expectedTieBreak(double[] mean, int row) {
        return argmax(mean, row);
    }

    private static int argmax(double[] rows, int row) {
        int best = 0;
        for (int c = 1; c < CLASSES; c++) {
            if (rows[row * CLASSES + c] > rows[row * CLASSES + best]) {
                best = c;
            }
        }
        return best;
    }

    private static long count(Model model, String opType) {
        return model.graph().nodes().stream().map(Node::opType).filter(opType::equals).count();
    }

    private static void assertClose(double[] expected, float[] found) {
        assertEquals(expected.length, found.length, "element count");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], found[i], 1e-6, "element " + i);
        }
    }
}
