package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        assertUsageError(finetune("--train", DIGITS, "--freeze", "conv"), "--freeze conv", "fc1.weight");
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
        assertUsageError(finetune("--train", DIGITS, "--augment", "rotate=5"), "rotate=5");
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
    void initModelRefusesImpossibleSizes() {
        CliRun run = CliRun.of("init-model", "mlp", "--inputs", "4", "--classes", "1", "--out", out.toString());

        assertUsageError(run, "at least 2 classes");
    }

    @Test
    void initModelNeedsAKind() {
        assertUsageError(CliRun.of("init-model"), "mlp or cnn");
    }
}
