package dev.tern.cli.internal;

import dev.tern.train.GanTraining;
import dev.tern.train.report.EpochStats;
import dev.tern.train.report.TrainingHistory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code tern finetune --task gan} prints when done: each epoch's mean discriminator and
 * generator losses and throughput, then what it wrote; or one JSON object.
 *
 * @param discriminatorOut where the discriminator was written, or null
 * @param examples the real examples per epoch
 */
record GanReport(Path model, Path out, Path discriminatorOut, int examples, GanTraining.Result result) {
    private static final String DISCRIMINATOR = EpochStats.TRAIN_TERM_PREFIX + GanTraining.DISCRIMINATOR;
    private static final String GENERATOR = EpochStats.TRAIN_TERM_PREFIX + GanTraining.GENERATOR;

    void printText(PrintWriter out) {
        out.println("epoch  discriminator loss  generator loss  examples/s  seconds");
        for (EpochStats stats : history().epochs()) {
            out.println(String.format(Locale.ROOT, "%5d  %18.4f  %14.4f  %10.0f  %7.2f", stats.epoch(),
                    stats.metric(DISCRIMINATOR), stats.metric(GENERATOR), stats.examplesPerSecond(), seconds(stats)));
        }
        out.println("trained " + result.discriminatorWeights().size() + " discriminator and "
                + result.generatorWeights().size() + " generator weights; wrote the generator to " + this.out
                + (discriminatorOut == null ? "" : " and the discriminator to " + discriminatorOut));
    }

    String json() {
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (EpochStats stats : history().epochs()) {
            Map<String, Object> epoch = new LinkedHashMap<>();
            epoch.put("epoch", stats.epoch());
            epoch.put("discriminatorLoss", stats.metric(DISCRIMINATOR));
            epoch.put("generatorLoss", stats.metric(GENERATOR));
            epoch.put("examplesPerSecond", stats.examplesPerSecond());
            epoch.put("trainSeconds", seconds(stats));
            epochs.add(epoch);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.toString());
        json.put("out", out.toString());
        json.put("discriminatorOut", discriminatorOut == null ? null : discriminatorOut.toString());
        json.put("generatorWeights", result.generatorWeights());
        json.put("discriminatorWeights", result.discriminatorWeights());
        json.put("trainExamples", examples);
        json.put("epochs", epochs);
        return Json.write(json);
    }

    private TrainingHistory history() {
        return result.history();
    }

    private double seconds(EpochStats stats) {
        return examples / stats.examplesPerSecond();
    }
}
