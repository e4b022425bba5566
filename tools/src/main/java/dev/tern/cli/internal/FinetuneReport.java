package dev.tern.cli.internal;

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
 * object. Unmeasured values (no validation data, not a classifier) show as "-" or JSON null.
 */
record FinetuneReport(Path model, Path out, List<String> trainable, int trainExamples, TrainingOutcome outcome) {

    void printText(PrintWriter out) {
        out.println("epoch  train loss  val loss  val accuracy  examples/s  seconds");
        for (EpochStats stats : outcome.history().epochs()) {
            out.println(String.format(Locale.ROOT, "%5d  %10s  %8s  %12s  %10.0f  %7.2f", stats.epoch(),
                    number("%.4f", stats.trainLoss()), number("%.4f", stats.validationLoss()),
                    number("%.2f%%", stats.validationAccuracy() * 100), stats.examplesPerSecond(),
                    trainSeconds(stats)));
        }
        if (outcome.bestEpoch() > 0) {
            EpochStats best = outcome.history().epochs().get(outcome.bestEpoch() - 1);
            out.println("best epoch " + best.epoch() + ": validation loss " + number("%.4f", best.validationLoss())
                    + ", accuracy " + number("%.2f%%", best.validationAccuracy() * 100)
                    + (outcome.stoppedEarly() ? " (stopped early)" : ""));
        }
        out.println("trained " + trainable.size() + " weights; wrote " + this.out);
    }

    String json() {
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (EpochStats stats : outcome.history().epochs()) {
            Map<String, Object> epoch = new LinkedHashMap<>();
            epoch.put("epoch", stats.epoch());
            epoch.put("trainLoss", stats.trainLoss());
            epoch.put("validationLoss", stats.validationLoss());
            epoch.put("validationAccuracy", stats.validationAccuracy());
            epoch.put("examplesPerSecond", stats.examplesPerSecond());
            epoch.put("trainSeconds", trainSeconds(stats));
            epochs.add(epoch);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.toString());
        json.put("out", out.toString());
        json.put("trainable", trainable);
        json.put("trainExamples", trainExamples);
        json.put("bestEpoch", outcome.bestEpoch());
        json.put("stoppedEarly", outcome.stoppedEarly());
        json.put("epochs", epochs);
        return Json.write(json);
    }

    /** The epoch's training time, from its throughput (validation not counted). */
    private double trainSeconds(EpochStats stats) {
        return trainExamples / stats.examplesPerSecond();
    }

    private static String number(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }
}
