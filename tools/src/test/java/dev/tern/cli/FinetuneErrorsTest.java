package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad usages of {@code tern finetune} and {@code tern init-model}: exit 2, one line naming the problem, no output file. */
class FinetuneErrorsTest {
    private static final String DIGITS = Checkout.dataSet("digits.csv").toString();

    @TempDir
    Path temporary;

    private String model;
    private Path out;

    @BeforeEach
    void writeModel() {
        model = temporary.resolve("mlp.onnx").toString();
        out = temporary.resolve("tuned.onnx");
        assertEquals(0, CliRun.of("init-model", "mlp", "--inputs", "64", "--classes", "10", "--out", model).exitCode());
    }

    private CliRun finetune(String... options) {
        List<String> args = new ArrayList<>(List.of("finetune", model, "--out", out.toString()));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }

    private void assertUsageError(CliRun run, String... expectedParts) {
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        for (String part : expectedParts) {
            assertTrue(run.err().contains(part), "expected '" + part + "' in: " + run.err());
        }
        assertFalse(Files.exists(out), "a failed run wrote " + out);
    }

    @Test
    void aBadCellNamesTheFileLineAndColumn() throws IOException {
        Path csv = temporary.resolve("bad.csv");
        Files.writeString(csv, "a,b,label\n1,2,0\n3,x,1\n");

        CliRun run = finetune("--train", csv.toString(), "--feature-shape", "2");

        assertUsageError(run, csv.toString(), "line 3", "'b'");
    }

    @Test
    void anUnknownLabelColumnIsNamed() {
        assertUsageError(finetune("--train", DIGITS, "--label-column", "digit"), "no label column 'digit'");
    }

    @Test
    void aFreezePrefixMatchingNoWeightIsRefused() {
        assertUsageError(finetune("--train", DIGITS, "--freeze", "conv"), "frozen scope 'conv'", "fc1.weight");
    }

    @Test
    void freezingEveryWeightIsRefused() {
        assertUsageError(finetune("--train", DIGITS, "--freeze", "fc"), "no weight left to train");
    }

    @Test
    void validationFileAndSplitExcludeEachOther() {
        assertUsageError(finetune("--train", DIGITS, "--validation", DIGITS, "--split", "0.2"), "mutually exclusive");
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        assertUsageError(finetune("--train", DIGITS, "--loss", "hinge"), "ce, mse, l1, bce");
        assertUsageError(finetune("--train", DIGITS, "--optimizer", "lion"), "sgd, adam, adamw");
        assertUsageError(finetune("--train", DIGITS, "--schedule", "cyclic"), "warmup-cosine");
        assertUsageError(finetune("--train", DIGITS, "--augment", "blur=5"), "blur=5", "rotate=DEGREES");
    }

    @Test
    void badAugmentationAndScheduleSettingsNameTheKeyAndValue() {
        assertUsageError(finetune("--train", DIGITS, "--augment", "rotate=15,erase=2"), "--augment erase=2", "[0, 1]");
        assertUsageError(finetune("--train", DIGITS, "--augment", "mixup=lots"), "mixup=lots", "'lots' is not a number");
        assertUsageError(finetune("--train", DIGITS, "--schedule", "plateau:factor=2", "--split", "0.2"),
                "--schedule plateau:factor=2", "found 2.0");
        assertUsageError(finetune("--train", DIGITS, "--schedule", "one-cycle:peak=3"), "unknown setting 'peak'",
                "warmup, div, final-div");
        assertUsageError(finetune("--train", DIGITS, "--schedule", "plateau:patience=soon", "--split", "0.2"),
                "patience=soon is not a whole number");
        assertUsageError(finetune("--train", DIGITS, "--schedule", "plateau"), "add --validation or --split");
    }

    @Test
    void resumeNeedsACheckpointFolder() {
        assertUsageError(finetune("--train", DIGITS, "--resume"), "--resume needs --checkpoint");
        assertUsageError(finetune("--train", DIGITS, "--resume", "--checkpoint", temporary.resolve("none").toString()),
                "no such checkpoint folder");
    }

    @Test
    void missingTrainingDataIsNamed() {
        assertUsageError(finetune("--train", temporary.resolve("missing.csv").toString()), "missing.csv", "no such file");
    }

    @Test
    void featuresThatDoNotFitTheModelAreRefused() {
        assertUsageError(finetune("--train", DIGITS, "--feature-shape", "1x8"), "feature shape");
    }

    @Test
    void classLabelsOutsideTheModelsClassesNameTheRowTheLabelAndTheClassCount() throws IOException {
        String wineModel = initWineModel("--classes", "3");
        // Labels 1..3 instead of 0..2, then {0, 50, 100}: the first row past the classes is refused.
        Path shifted = wineWithLabels("shifted", label -> label + 1);
        Path spread = wineWithLabels("spread", label -> label * 50);

        assertUsageError(finetuneWine(wineModel, shifted), shifted + ": line 132, column 14: class label 3 is outside "
                + "the 3 classes, numbered 0 to 2");
        assertUsageError(finetuneWine(wineModel, spread), spread + ": line 61, column 14: class label 50 is outside "
                + "the 3 classes, numbered 0 to 2");
    }

    @Test
    void aValidationFileNamingAnotherClassIsRefusedAtItsLine() throws IOException {
        Path train = temporary.resolve("train.csv");
        Path validation = temporary.resolve("validation.csv");
        Files.writeString(train, "a,b,label\n1,2,cat\n3,4,dog\n");
        Files.writeString(validation, "a,b,label\n1,2,cat\n3,4,cow\n");
        assertEquals(0, CliRun.of("init-model", "mlp", "--inputs", "2", "--classes", "2", "--out", model).exitCode());

        CliRun run = finetune("--train", train.toString(), "--validation", validation.toString());

        assertUsageError(run, validation + ": line 3, column 3 ('label'): class 'cow' is not one of the classes [cat, dog]");
    }

    @Test
    void aBadCellWithoutAHeaderNamesTheFileLineAndColumnNumber() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(Checkout.dataSet("wine.csv")));
        String[] cells = lines.get(4).split(",");
        cells[2] = "n/a";
        lines.set(4, String.join(",", cells));
        Path csv = Files.write(temporary.resolve("wine-bad.csv"), lines);

        assertUsageError(finetuneWine(initWineModel("--classes", "3"), csv), csv + ": line 5, column 3: 'n/a' is not a number");
    }

    @Test
    void labelColumnsThatDoNotExistAreNamed() {
        String wine = Checkout.dataSet("wine.csv").toString();
        String wineModel = initWineModel("--classes", "3");

        assertUsageError(CliRun.of("finetune", wineModel, "--train", wine, "--skip-lines", "1", "--no-header",
                "--out", out.toString()), "no header row to find the label column 'label' in");
        assertUsageError(CliRun.of("finetune", wineModel, "--train", wine, "--skip-lines", "1", "--no-header",
                "--label-column", "15", "--out", out.toString()), "line 2: no label column 15, the rows have 14 columns");
        assertUsageError(finetune("--train", DIGITS, "--label-column", "0"), "--label-column 0: columns are counted from 1");
        assertUsageError(finetune("--train", DIGITS, "--skip-lines", "-1"), "--skip-lines must be at least 0");
    }

    @Test
    void crossEntropyOnOneOutputNamesTheModelAndTheOutputNotTheTrainingGraph() {
        String regressor = initWineModel("--outputs", "1");

        CliRun run = finetuneWine(regressor, Checkout.dataSet("wine.csv"));

        assertUsageError(run, regressor + ": cross-entropy needs scores for at least 2 classes, but output 'prediction' "
                + "is tensor(float)[batch,1]; for a numeric label use mean squared error or L1");
        assertFalse(run.err().contains("'target'"), run::toString);
    }

    @Test
    void keepBestNeedsValidationDataAndKeepKnowsTwoWords() {
        assertUsageError(finetune("--train", DIGITS, "--keep", "best"), "--keep best needs validation data");
        assertUsageError(finetune("--train", DIGITS, "--split", "0.2", "--keep", "first"),
                "--keep: unknown 'first', expected best or last");
    }

    @Test
    void scalingOptionsExcludeEachOther() {
        assertUsageError(finetune("--train", DIGITS, "--scale", "16", "--standardize"), "mutually exclusive");
        assertUsageError(finetune("--train", DIGITS, "--standardize", "--min-max"), "mutually exclusive");
    }

    @Test
    void initModelTakesClassesOrOutputsNotBoth() {
        assertUsageError(CliRun.of("init-model", "mlp", "--inputs", "4", "--classes", "3", "--outputs", "1",
                "--out", out.toString()), "mutually exclusive");
        assertUsageError(CliRun.of("init-model", "mlp", "--inputs", "4", "--out", out.toString()), "--classes");
    }

    /** A 13-input MLP for the wine table, with {@code head} (--classes N or --outputs N). */
    private String initWineModel(String... head) {
        String wineModel = temporary.resolve("wine-mlp.onnx").toString();
        List<String> args = new ArrayList<>(List.of("init-model", "mlp", "--inputs", "13", "--out", wineModel));
        args.addAll(List.of(head));
        assertEquals(0, CliRun.of(args.toArray(String[]::new)).exitCode());
        return wineModel;
    }

    /** {@code tern finetune} on a table laid out as scikit-learn's wine file, the label last. */
    private CliRun finetuneWine(String wineModel, Path csv) {
        return CliRun.of("finetune", wineModel, "--train", csv.toString(), "--skip-lines", "1", "--no-header",
                "--label-column", "last", "--out", out.toString());
    }

    /** The wine file, as {@code name}.csv, with each class label replaced. */
    private Path wineWithLabels(String name, IntUnaryOperator relabel) throws IOException {
        List<String> lines = Files.readAllLines(Checkout.dataSet("wine.csv"));
        List<String> relabelled = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            int comma = line.lastIndexOf(',');
            relabelled.add(line.substring(0, comma + 1)
                    + relabel.applyAsInt(Integer.parseInt(line.substring(comma + 1))));
        }
        return Files.write(temporary.resolve(name + ".csv"), relabelled);
    }

    @Test
    void initModelRefusesImpossibleSizes() {
        CliRun run = CliRun.of("init-model", "mlp", "--inputs", "4", "--classes", "1", "--out", out.toString());

        assertUsageError(run, "at least 2 classes");
    }

    @Test
    void initModelNeedsAKind() {
        assertUsageError(CliRun.of("init-model"), "mlp, cnn, autoencoder, vae, gan, lstm or gru");
    }
}
