package dev.tern.cli.internal;

import dev.tern.train.StepProgress;
import dev.tern.train.TrainingListener;
import java.util.Locale;

/** Shows a {@code Trainer}'s steps on a {@link ProgressLine}: epoch, step, loss, examples/s and ETA. */
final class FinetuneProgress implements TrainingListener {
    private final ProgressLine line;

    FinetuneProgress(ProgressLine line) {
        this.line = line;
    }

    @Override
    public void onStep(StepProgress progress) {
        line.show(text(progress));
    }

    /** Removes the line, before the final table is printed. */
    void finish() {
        line.clear();
    }

    static String text(StepProgress progress) {
        return String.format(Locale.ROOT, "epoch %d/%d  step %d/%d  loss %.4f  %.0f examples/s  ETA %s",
                progress.epoch(), progress.epochs(), progress.batch(), progress.batches(), progress.meanLoss(),
                progress.examplesPerSecond(), duration(progress.secondsRemaining()));
    }

    private static String duration(double seconds) {
        long whole = Math.round(seconds);
        return whole >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
                : String.format(Locale.ROOT, "%d:%02d", whole / 60, whole % 60);
    }
}
