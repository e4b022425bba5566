package dev.tern.cli.internal;

import dev.tern.train.ReduceOnPlateau;
import java.util.List;
import java.util.Locale;

/**
 * {@code --schedule plateau:factor=F,patience=N,cooldown=N,min=RATE,threshold=T,metric=M,mode=MODE}:
 * reduce-on-plateau from {@code --lr}, with the library's defaults (PyTorch's) for what is
 * not set. {@code metric} is {@code loss} (the validation loss, the default), {@code accuracy}
 * (validation accuracy) or {@code train-loss}; {@code mode} ({@code min} or {@code max})
 * defaults to the metric's own direction.
 */
final class PlateauOptions {
    static final List<String> KEYS = List.of("factor", "patience", "cooldown", "min", "threshold", "metric", "mode");
    private static final List<String> METRICS = List.of("loss", "accuracy", "train-loss");
    private static final List<String> MODES = List.of("min", "max");

    private PlateauOptions() {
    }

    /**
     * The schedule {@code spec} describes.
     *
     * @param validated whether the run has validation data
     * @throws CliFailure (usage) if a setting is malformed, or the metric needs validation data the run lacks
     * @throws IllegalArgumentException if the library refuses a value
     */
    static ReduceOnPlateau schedule(ScheduleSpec spec, double rate, boolean validated) {
        ReduceOnPlateau.Metric metric = switch (spec.choice("metric", METRICS).orElse("loss")) {
            case "loss" -> ReduceOnPlateau.Metric.VALIDATION_LOSS;
            case "accuracy" -> ReduceOnPlateau.Metric.VALIDATION_ACCURACY;
            default -> ReduceOnPlateau.Metric.TRAIN_LOSS;
        };
        if (metric != ReduceOnPlateau.Metric.TRAIN_LOSS && !validated) {
            throw CliFailure.usage("--schedule " + spec + " follows a validation measurement: add --validation or "
                    + "--split, or set metric=train-loss");
        }
        ReduceOnPlateau.Builder builder = ReduceOnPlateau.builder(rate).metric(metric);
        spec.choice("mode", MODES)
                .ifPresent(mode -> builder.mode(ReduceOnPlateau.Mode.valueOf(mode.toUpperCase(Locale.ROOT))));
        spec.number("factor").ifPresent(builder::factor);
        spec.count("patience").ifPresent(builder::patience);
        spec.count("cooldown").ifPresent(builder::cooldown);
        spec.number("min").ifPresent(builder::minimumRate);
        spec.number("threshold").ifPresent(builder::threshold);
        return builder.build();
    }
}
