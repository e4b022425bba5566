package dev.tern.cli.internal;

import dev.tern.train.report.HistoryReport;
import dev.tern.train.report.TrainingHistory;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code tern finetune --report DIR}: the training history's charts. A picocli mixin. */
final class ReportOption {
    @Option(names = "--report", paramLabel = "DIR",
            description = "Write training.svg (loss and accuracy curves, and each loss term's when there are several, "
                    + "as a VAE's) and training.html into DIR.")
    private Path report;

    /**
     * Writes training.svg and training.html for the training of {@code model}, when --report
     * was given and {@code history} holds an epoch.
     *
     * @throws CliFailure (exit 1) if a file cannot be written
     */
    void write(TrainingHistory history, Path model) {
        if (report == null || history.isEmpty()) {
            return;
        }
        OutputFiles.createParentDirectories(report.resolve("training.svg"));
        try {
            HistoryReport.writeSvg(history, report.resolve("training.svg"));
            HistoryReport.writeHtml(history, "Fine-tuning " + model.getFileName(), report.resolve("training.html"));
        } catch (IOException e) {
            throw CliFailure.inFile(report, e);
        }
    }
}
