package dev.tern.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.DatasetException;
import dev.tern.train.data.ExampleFiles;
import dev.tern.train.data.ScalingMethod;
import dev.tern.train.lora.LoraSettings;
import dev.tern.train.models.ClassNames;
import dev.tern.train.models.ModelTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library recipe of {@code tern finetune} from Java on the digits CSV, whose labels are
 * written as names: {@link FineTuneData} reads, splits and scales the data, {@link FineTune}
 * trains a 64-32-10 MLP on it, and the exported model takes raw features and names its classes.
 */
class FineTuneDataTest extends LeakCheckedRuntime {
    private static final List<String> NAMES = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine");
    /** The names in the order the reader numbers them: sorted. */
    private static final List<String> SORTED_NAMES = NAMES.stream().sorted().toList();
    private static final long SEED = 42;
    private static final SessionConfig ONE_THREAD = SessionConfig.builder().intraOpThreads(1).build();

    @TempDir
    Path temporary;

    @Test
    void aStandardizedCsvRunExportsAModelThatTakesRawFeaturesNamesItsClassesAndScoresTheValidatedAccuracy()
            throws IOException {
        Path digits = namedDigits();
        FineTune.Result result;
        try (FineTuneData data = FineTuneData.features(ModelTemplates.mlp(64, new int[] {32}, 10, 3), digits)
                .scaling(ScalingMethod.standardize())
                .split(0.2)
                .batch(64)
                .seed(SEED)
                .prepare()) {
            assertEquals(SORTED_NAMES, data.export().classNames());
            assertEquals(1438, data.trainExamples(), "80% of 1,797, stratified class by class");
            result = recipe(data).epochs(5).build().run(runtime);
        }

        Model served = result.model();
        assertEquals(SORTED_NAMES, ClassNames.read(served).orElseThrow());
        List<String> firstOps = served.graph().nodes().stream().limit(2).map(Node::opType).toList();
        assertEquals(List.of("Sub", "Div"), firstOps, "the standardization is the model's first nodes");
        double validated = result.outcome().history().epochs().get(result.outcome().keptEpoch() - 1)
                .validationAccuracy();
        assertTrue(validated > 0.9, "validation accuracy " + validated);
        Dataset validation = ExampleFiles.split(CsvDatasetReader.of(digits, "label").classCount(10).read(), 0.2,
                SEED).validation();
        assertEquals(validated, accuracyOnRawFeatures(served, validation), 1e-12,
                "the exported model scores the kept epoch's accuracy on raw features");
    }

    @Test
    void loraAdaptersComeWithABaseThatTakesRawFeaturesAndNamesTheClassesToo() throws IOException {
        FineTune.Result result;
        try (FineTuneData data = FineTuneData.features(ModelTemplates.mlp(64, new int[] {32}, 10, 3), namedDigits())
                .scaling(ScalingMethod.standardize())
                .prepare()) {
            result = recipe(data).lora(LoraSettings.of(List.of("fc1"), 4).withSeed(2)).build().run(runtime);
        }

        Model base = result.lora().orElseThrow().base();
        assertEquals(List.of("Sub", "Div"), base.graph().nodes().stream().limit(2).map(Node::opType).toList());
        assertEquals(SORTED_NAMES, ClassNames.read(base).orElseThrow());
        assertEquals(SORTED_NAMES, ClassNames.read(result.model()).orElseThrow());
    }

    @Test
    void aVaeLearnsFromTheFeaturesAloneAndEachPartGetsTheScalingThatFitsIt() {
        Model vae = ModelTemplates.vae(64, new int[] {32}, 8, 3);
        FineTune.Result result;
        try (FineTuneData data = FineTuneData.features(vae, DataSets.file("digits.csv"))
                .task(FineTuneTask.VAE)
                .output(ModelTemplates.LOGITS)
                .scaling(ScalingMethod.minMax())
                .prepare()) {
            assertTrue(data.objective().isPresent());
            assertEquals(Loss.binaryCrossEntropyWithLogits(), data.reportedLoss());
            FineTune.Builder recipe = recipe(data).epochs(2);
            data.objective().get().exportParts(recipe, data.model(), true, true);
            result = recipe.build().run(runtime);
        }

        Model sampler = result.sampler();
        assertEquals(List.of(ModelTemplates.LATENT), sampler.graph().inputs().stream().map(value -> value.name()).toList());
        assertEquals(ModelTemplates.RECONSTRUCTION, sampler.graph().outputs().get(0).name());
        assertEquals(ModelTemplates.LOGITS, result.part(UnsupervisedObjective.DECODER).graph().outputs().get(0).name(),
                "the sampler is made from a copy of the decoder");
        assertEquals(0, sampler.graph().nodes().stream().filter(node -> node.opType().equals("Div")).count(),
                "the decoder takes no features, so no scaling");
        Model encoder = result.part(UnsupervisedObjective.ENCODER);
        assertEquals(List.of(ModelTemplates.MU, ModelTemplates.LOG_VARIANCE),
                encoder.graph().outputs().stream().map(value -> value.name()).toList());
        assertEquals(List.of("Sub", "Div"), encoder.graph().nodes().stream().limit(2).map(Node::opType).toList(),
                "the encoder takes raw features");
    }

    @Test
    void refusalsNameTheOutputTheFileLineAndColumn() throws IOException {
        Model regressor = ModelTemplates.regressionMlp(64, new int[] {32}, 1, 3);
        TrainingException crossEntropyOnOneValue = assertThrows(TrainingException.class,
                () -> FineTuneData.features(regressor, DataSets.file("digits.csv")).prepare());
        assertTrue(crossEntropyOnOneValue.getMessage().contains("cross-entropy needs scores for at least 2 classes, "
                + "but output 'prediction'"), crossEntropyOnOneValue.getMessage());
        assertFalse(crossEntropyOnOneValue.getMessage().contains("'target'"), "names no training-graph input");

        Path bad = temporary.resolve("bad.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(DataSets.file("digits.csv")).subList(0, 4));
        lines.set(2, lines.get(2).replaceFirst("^[^,]*", "n/a"));
        Files.write(bad, lines);
        Model mlp = ModelTemplates.mlp(64, new int[] {32}, 10, 3);
        DatasetException badCell = assertThrows(DatasetException.class,
                () -> FineTuneData.features(mlp, bad).prepare());
        assertTrue(badCell.getMessage().startsWith(bad + ": line 3, column 1"), badCell.getMessage());

        DatasetException missing = assertThrows(DatasetException.class,
                () -> FineTuneData.features(mlp, temporary.resolve("none.csv")).prepare());
        assertEquals(temporary.resolve("none.csv") + ": no such file or folder", missing.getMessage());
    }

    private static FineTune.Builder recipe(FineTuneData data) {
        return FineTune.builder(data)
                .optimizer(Optimizer.adam())
                .schedule(steps -> LearningRateSchedule.cosine(1e-2, steps, 0))
                .sessionConfig(ONE_THREAD);
    }

    /** The digits with each label written as its name, so the names reach the exported model. */
    private Path namedDigits() throws IOException {
        List<String> lines = Files.readAllLines(DataSets.file("digits.csv"));
        List<String> named = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            int comma = line.lastIndexOf(',');
            named.add(line.substring(0, comma + 1) + NAMES.get(Integer.parseInt(line.substring(comma + 1))));
        }
        return Files.write(temporary.resolve("digits-named.csv"), named);
    }

    /** The share of {@code examples} whose highest score is their label, fed to {@code model} as they are in the file. */
    private static double accuracyOnRawFeatures(Model model, Dataset examples) {
        float[] features = new float[examples.size() * examples.featureSize()];
        for (int i = 0; i < examples.size(); i++) {
            examples.copyFeatures(i, features, i * examples.featureSize());
        }
        float[] scores;
        try (CompiledModel compiled = runtime.compile(model, ONE_THREAD)) {
            Tensor input = Tensor.ofFloats(ModelTemplates.INPUT, new long[] {examples.size(), examples.featureSize()},
                    features);
            scores = compiled.run(Map.of(ModelTemplates.INPUT, input)).get(ModelTemplates.LOGITS).toFloatArray();
        }
        int correct = 0;
        int classes = scores.length / examples.size();
        for (int i = 0; i < examples.size(); i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (scores[i * classes + c] > scores[i * classes + best]) {
                    best = c;
                }
            }
            correct += best == examples.classLabel(i) ? 1 : 0;
        }
        return (double) correct / examples.size();
    }
}
