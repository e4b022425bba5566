package dev.tern.cli.internal;

import dev.tern.train.Loss;
import dev.tern.train.TrainingOutcome;
import dev.tern.train.report.EpochStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code tern finetune} prints when done: a per-epoch table and a summary, or one JSON
 * object. A classifier's table shows validation accuracy, a regression's the validation RMSE
 * and MAE, except under binary cross-entropy, whose predictions are logits, not values to
 * compare with the labels. Unmeasured values (no validation data) show as "-" or JSON null.
 *
 * @param trainedParameters the number of values trained, as
 *     {@link dev.tern.train.FineTune.Result#trainedParameters} counts them
 * @param classNames the classes' names in index order; empty for a regression
 * @param loss the loss trained with
 */
record FinetuneReport(Path model, Path out, List<String> trainable, long trainedParameters, int trainExamples,
                      List<String> classNames, Loss loss, TrainingOutcome outcome) {

    void printText(PrintWriter out) {
        boolean regression = isRegression();
        out.println(regression
                ? "epoch  train loss  val loss  val RMSE   val MAE  examples/s  seconds"
                : "epoch  train loss  val loss  val accuracy  examples/s  seconds");
        for (EpochStats stats : outcome.history().epochs()) {
            String validation = regression
                    ? String.format(Locale.ROOT, "%8s  %8s", number("%.4f", rmse(stats)), number("%.4f", mae(stats)))
                    : String.format(Locale.ROOT, "%12s", number("%.2f%%", stats.validationAccuracy() * 100));
            out.println(String.format(Locale.ROOT, "%5d  %10s  %8s  %s  %10.0f  %7.2f", stats.epoch(),
                    number("%.4f", stats.trainLoss()), number("%.4f", stats.validationLoss()), validation,
                    stats.examplesPerSecond(), trainSeconds(stats)));
        }
        if (outcome.bestEpoch() > 0) {
            EpochStats best = epoch(outcome.bestEpoch());
            out.println("best epoch " + best.epoch() + ": validation loss " + number("%.4f", best.validationLoss())
                    + (regression
                            ? ", RMSE " + number("%.4f", rmse(best)) + ", MAE " + number("%.4f", mae(best))
                            : ", accuracy " + number("%.2f%%", best.validationAccuracy() * 100))
                    + (outcome.stoppedEarly() ? " (stopped early)" : ""));
        }
        out.println(String.format(Locale.ROOT, "trained %d weights (%,d parameters); wrote ", trainable.size(),
                trainedParameters) + keptEpochDescription() + " to " + this.out);
    }

    String json() {
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (EpochStats stats : outcome.history().epochs()) {
            Map<String, Object> epoch = new LinkedHashMap<>();
            epoch.put("epoch", stats.epoch());
            epoch.put("trainLoss", stats.trainLoss());
            epoch.put("validationLoss", stats.validationLoss());
            epoch.put("validationAccuracy", stats.validationAccuracy());
            epoch.put("validationRmse", rmse(stats));
            epoch.put("validationMae", mae(stats));
            epoch.put("examplesPerSecond", stats.examplesPerSecond());
            epoch.put("trainSeconds", trainSeconds(stats));
            epochs.add(epoch);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.toString());
        json.put("out", out.toString());
        json.put("trainable", trainable);
        json.put("trainedParameters", trainedParameters);
        json.put("trainExamples", trainExamples);
        json.put("classNames", classNames);
        json.put("bestEpoch", outcome.bestEpoch());
        json.put("keptEpoch", outcome.keptEpoch());
        json.put("stoppedEarly", outcome.stoppedEarly());
        json.put("epochs", epochs);
        return Json.write(json);
    }

    /** "epoch 7 (lowest validation loss)" or "epoch 10 (the last)": which weights the written model holds. */
    private String keptEpochDescription() {
        int kept = outcome.keptEpoch();
        return "epoch " + kept + (kept == outcome.bestEpoch() ? " (lowest validation loss)" : " (the last)");
    }

    /** Whether the labels were numbers to predict rather than classes. */
    private boolean isRegression() {
        return classNames.isEmpty();
    }

    /** The validation RMSE where it compares values with labels, NaN under binary cross-entropy. */
    private double rmse(EpochStats stats) {
        return predictsLabels() ? stats.validationRmse() : Double.NaN;
    }

    /** The validation MAE where it compares values with labels, NaN under binary cross-entropy. */
    private double mae(EpochStats stats) {
        return predictsLabels() ? stats.validationMae() : Double.NaN;
    }

    /** Whether the predictions are in the labels' units; binary cross-entropy's are logits of them. */
    private boolean predictsLabels() {
        return !(loss instanceof Loss.BinaryCrossEntropyWithLogits);
    }

    private EpochStats epoch(int number) {
        return outcome.history().epochs().stream().filter(stats -> stats.epoch() == number).findFirst().orElseThrow();
    }

    /** The epoch's training time, from its throughput (validation not counted). */
    private double trainSeconds(EpochStats stats) {
        return trainExamples / stats.examplesPerSecond();
    }

    private static String number(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }
}
