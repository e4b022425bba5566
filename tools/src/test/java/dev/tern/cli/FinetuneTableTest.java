package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.LabelColumn;
import dev.tern.train.models.ClassNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern finetune} on a user's own table: scikit-learn's wine file as it ships (a first
 * line of facts, no header, 13 unscaled columns, the class last), and iris with its species
 * written as names. Every run holds out 20% with {@code --split 0.2 --seed 1} and uses one
 * ONNX Runtime thread. The written models are then run by ONNX Runtime itself on the raw
 * validation rows (the same split, made here with the data set API), which must give what
 * training reported.
 */
class FinetuneTableTest {
    private static final Path WINE = Checkout.dataSet("wine.csv");
    private static final List<String> WINE_AS_IT_SHIPS = List.of("--train", WINE.toString(), "--skip-lines", "1",
            "--no-header");

    @TempDir
    Path temporary;

    @Test
    void wineAsItShipsTrainsToNinetyFivePercentAndTheModelTakesRawFeatures() throws Exception {
        Path tuned = temporary.resolve("wine.onnx");

        Map<String, Object> summary = json(finetune(classifier(13, 3), tuned, WINE_AS_IT_SHIPS, "--label-column", "last",
                "--standardize", "--epochs", "20", "--lr", "1e-2", "--json"));

        Map<String, Object> kept = keptEpoch(summary);
        double accuracy = (Double) kept.get("validationAccuracy");
        assertTrue(accuracy >= 0.95, "validation accuracy " + accuracy);
        Dataset validation = wineClasses().splitStratified(0.2, 1).validation();
        try (PlainOrt served = PlainOrt.open(tuned)) {
            float[][] logits = served.run(validation);
            assertEquals(accuracy, accuracy(logits, validation));
            assertEquals((Double) kept.get("validationLoss"), crossEntropy(logits, validation), 1e-5);
            assertEquals("[\"0\",\"1\",\"2\"]", served.metadata().get(ClassNames.METADATA_KEY));
        }
    }

    @Test
    void minMaxScalingIsWrittenIntoTheModelToo() throws Exception {
        Path tuned = temporary.resolve("wine.onnx");

        Map<String, Object> kept = keptEpoch(json(finetune(classifier(13, 3), tuned, WINE_AS_IT_SHIPS,
                "--label-column", "14", "--min-max", "--epochs", "10", "--lr", "1e-2", "--json")));

        Dataset validation = wineClasses().splitStratified(0.2, 1).validation();
        try (PlainOrt served = PlainOrt.open(tuned)) {
            float[][] logits = served.run(validation);
            assertEquals((Double) kept.get("validationAccuracy"), accuracy(logits, validation));
            assertEquals((Double) kept.get("validationLoss"), crossEntropy(logits, validation), 1e-5);
        }
    }

    @Test
    void theBestValidatedEpochIsWrittenUnlessKeepLastSaysOtherwise() throws Exception {
        Path model = classifier(13, 3);
        Path best = temporary.resolve("best.onnx");
        Path last = temporary.resolve("last.onnx");
        String[] options = {"--label-column", "last", "--standardize", "--epochs", "30", "--lr", "1e-2"};

        CliRun text = finetune(model, best, WINE_AS_IT_SHIPS, options);
        Map<String, Object> summary = json(finetune(model, last, WINE_AS_IT_SHIPS,
                concat(options, "--keep", "last", "--json")));

        long bestEpoch = (Long) summary.get("bestEpoch");
        assertTrue(bestEpoch < 30, "this run's best epoch is before its last: " + bestEpoch);
        assertEquals(30L, summary.get("keptEpoch"));
        assertTrue(text.out().contains("\nbest epoch " + bestEpoch + ": validation loss "), text::toString);
        assertTrue(text.out().contains("; wrote epoch " + bestEpoch + " (lowest validation loss) to " + best), text::toString);
        Dataset validation = wineClasses().splitStratified(0.2, 1).validation();
        List<Map<String, Object>> epochs = epochs(summary);
        try (PlainOrt bestModel = PlainOrt.open(best); PlainOrt lastModel = PlainOrt.open(last)) {
            assertEquals((Double) epochs.get((int) bestEpoch - 1).get("validationLoss"),
                    crossEntropy(bestModel.run(validation), validation), 1e-5);
            assertEquals((Double) epochs.get(29).get("validationLoss"), crossEntropy(lastModel.run(validation), validation),
                    1e-5);
        }
    }

    @Test
    void classNamesAreNumberedInSortedOrderAndStoredInTheModel() throws Exception {
        // Iris with the species written out, the training rows in reverse so virginica comes first.
        List<String> rows = Files.readAllLines(Checkout.dataSet("iris.csv"));
        List<String> named = new ArrayList<>(List.of(rows.get(0)));
        for (String row : rows.subList(1, rows.size())) {
            int comma = row.lastIndexOf(',');
            named.add(row.substring(0, comma + 1) + List.of("setosa", "versicolor", "virginica").get(
                    Integer.parseInt(row.substring(comma + 1))));
        }
        Path validation = Files.write(temporary.resolve("iris-validation.csv"), named);
        List<String> reversed = new ArrayList<>(named.subList(1, named.size()));
        Collections.reverse(reversed);
        reversed.add(0, named.get(0));
        Path train = Files.write(temporary.resolve("iris-train.csv"), reversed);
        Path tuned = temporary.resolve("iris.onnx");

        Map<String, Object> summary = json(CliRun.of("finetune", classifier(4, 3).toString(), "--train", train.toString(),
                "--validation", validation.toString(), "--standardize", "--epochs", "10", "--lr", "1e-2",
                "--seed", "1", "--threads", "1", "--out", tuned.toString(), "--json"));

        List<String> species = List.of("setosa", "versicolor", "virginica");
        assertEquals(species, summary.get("classNames"));
        // Validation rows numbered otherwise than the training rows would score about a third.
        assertTrue((Double) keptEpoch(summary).get("validationAccuracy") >= 0.9, summary::toString);
        try (PlainOrt served = PlainOrt.open(tuned)) {
            assertEquals("[\"setosa\",\"versicolor\",\"virginica\"]", served.metadata().get(ClassNames.METADATA_KEY));
        }
    }

    @Test
    void squaredAbsoluteAndBinaryLossesTrainOnOneHotClassLabels() {
        Path model = classifier(13, 3);
        for (String loss : List.of("mse", "l1", "bce")) {
            Map<String, Object> kept = keptEpoch(json(finetune(model, temporary.resolve(loss + ".onnx"), WINE_AS_IT_SHIPS,
                    "--label-column", "last", "--standardize", "--loss", loss, "--epochs", "10", "--lr", "1e-2", "--json")));

            assertTrue((Double) kept.get("validationAccuracy") >= 0.9, loss + ": " + kept);
        }
    }

    @Test
    void regressionOnANumericColumnReportsRmseAndMaeOfTheWrittenModel() throws Exception {
        // Column 7 of the wine table, flavanoids (mean 2.0, standard deviation 1.0), from the other 13 columns.
        Path model = regressor(13);
        Path tuned = temporary.resolve("flavanoids.onnx");

        Map<String, Object> kept = keptEpoch(json(finetune(model, tuned, WINE_AS_IT_SHIPS, "--label-column", "7",
                "--loss", "mse", "--standardize", "--epochs", "20", "--lr", "1e-2", "--json")));

        assertNull(kept.get("validationAccuracy"));
        double rmse = (Double) kept.get("validationRmse");
        assertEquals((Double) kept.get("validationLoss"), rmse * rmse, 1e-5);
        Dataset validation = CsvDatasetReader.of(WINE, LabelColumn.numbered(7)).skipLines(1).noHeader().targets().read()
                .split(0.2, 1).validation();
        double squares = 0;
        double absolutes = 0;
        try (PlainOrt served = PlainOrt.open(tuned)) {
            float[][] predicted = served.run(validation);
            float[] target = new float[1];
            for (int i = 0; i < validation.size(); i++) {
                validation.copyTarget(i, target, 0);
                double error = (double) predicted[i][0] - target[0];
                squares += error * error;
                absolutes += Math.abs(error);
            }
            assertNull(served.metadata().get(ClassNames.METADATA_KEY), "a regression has no class names");
        }
        assertEquals(rmse, Math.sqrt(squares / validation.size()), 1e-5);
        assertEquals((Double) kept.get("validationMae"), absolutes / validation.size(), 1e-5);
        assertTrue(rmse < 0.6, "RMSE " + rmse + " against a standard deviation of 1.0");

        CliRun text = finetune(model, temporary.resolve("l1.onnx"), WINE_AS_IT_SHIPS, "--label-column", "7",
                "--loss", "l1", "--standardize", "--epochs", "2");
        assertTrue(text.out().startsWith("epoch  train loss  val loss  val RMSE   val MAE  examples/s  seconds\n"),
                text::toString);
        assertTrue(text.out().matches("(?s).*\nbest epoch \\d: validation loss [0-9.]+, RMSE [0-9.]+, MAE [0-9.]+\n.*"),
                text::toString);
    }

    @Test
    void binaryCrossEntropyTrainsOnAZeroOneColumn() throws Exception {
        // Whether a wine is of the first cultivar, as 1 or 0 in place of the class column.
        List<String> lines = Files.readAllLines(WINE);
        List<String> binary = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            binary.add(line.substring(0, line.lastIndexOf(',') + 1) + (line.endsWith(",0") ? "1" : "0"));
        }
        Path csv = Files.write(temporary.resolve("first-cultivar.csv"), binary);
        Path tuned = temporary.resolve("first-cultivar.onnx");

        Map<String, Object> kept = keptEpoch(json(finetune(regressor(13), tuned, List.of("--train", csv.toString(),
                "--skip-lines", "1", "--no-header"), "--label-column", "last", "--loss", "bce", "--standardize",
                "--epochs", "10", "--lr", "1e-2", "--json")));

        // A constant guess of the base rate (59 of 178) scores about 0.63.
        assertTrue((Double) kept.get("validationLoss") < 0.2, kept::toString);
        assertNull(kept.get("validationRmse"), "a logit is not in the label's units");
    }

    private Path classifier(int inputs, int classes) {
        return initModel("mlp-" + classes + ".onnx", "--inputs", String.valueOf(inputs), "--hidden", "32",
                "--classes", String.valueOf(classes));
    }

    private Path regressor(int inputs) {
        return initModel("regressor.onnx", "--inputs", String.valueOf(inputs), "--hidden", "32", "--outputs", "1");
    }

    private Path initModel(String file, String... sizes) {
        Path model = temporary.resolve(file);
        List<String> args = new ArrayList<>(List.of("init-model", "mlp"));
        args.addAll(List.of(sizes));
        args.addAll(List.of("--seed", "1", "--out", model.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        return model;
    }

    /** {@code tern finetune MODEL DATA... --split 0.2 --seed 1 --threads 1 --out OUT OPTIONS...}. */
    private static CliRun finetune(Path model, Path out, List<String> data, String... options) {
        List<String> args = new ArrayList<>(List.of("finetune", model.toString()));
        args.addAll(data);
        args.addAll(List.of("--split", "0.2", "--seed", "1", "--threads", "1", "--out", out.toString()));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static Dataset wineClasses() throws IOException {
        return CsvDatasetReader.of(WINE, LabelColumn.last()).skipLines(1).noHeader().read();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(CliRun run) {
        assertEquals(0, run.exitCode(), run::toString);
        return (Map<String, Object>) MiniJson.parse(run.out().trim());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> epochs(Map<String, Object> summary) {
        return (List<Map<String, Object>>) summary.get("epochs");
    }

    /** The measurements of the epoch whose weights were written. */
    private static Map<String, Object> keptEpoch(Map<String, Object> summary) {
        return epochs(summary).get((int) (long) (Long) summary.get("keptEpoch") - 1);
    }

    /** The fraction of examples whose highest score is at their class. */
    private static double accuracy(float[][] scores, Dataset data) {
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            int best = 0;
            for (int c = 1; c < scores[i].length; c++) {
                best = scores[i][c] > scores[i][best] ? c : best;
            }
            correct += best == data.classLabel(i) ? 1 : 0;
        }
        return (double) correct / data.size();
    }

    /** The mean softmax cross-entropy of the scores against the classes. */
    private static double crossEntropy(float[][] scores, Dataset data) {
        double total = 0;
        for (int i = 0; i < data.size(); i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float score : scores[i]) {
                max = Math.max(max, score);
            }
            double sum = 0;
            for (float score : scores[i]) {
                sum += Math.exp(score - max);
            }
            total += max + Math.log(sum) - scores[i][(int) data.classLabel(i)];
        }
        return total / data.size();
    }
}
