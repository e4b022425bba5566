package dev.tern.train.internal;

import dev.tern.ir.AtomicFiles;
import dev.tern.train.TrainingException;
import dev.tern.train.WeightStore;
import dev.tern.train.report.EpochStats;
import dev.tern.train.report.TrainingHistory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@code Trainer}'s checkpoint folder: after epoch N, {@code epoch-000N.ckpt} (the session's
 * checkpoint) and {@code epoch-000N.progress} (the history and the best epoch so far, as
 * properties, a metric {@code M} of epoch {@code N} as {@code epoch.N.metric.M}), each written atomically, the progress file last, so a progress file always
 * names a complete checkpoint. The previous epoch's pair is removed once the new one is
 * written. {@code best.ckpt} holds the weights of the epoch with the lowest validation loss.
 * An adaptive schedule's state is kept in the progress file under {@code schedule.<key>}.
 */
public final class EpochCheckpoints {
    private static final String BEST_VALUE = "bestValue";
    private static final String BEST_WEIGHTS_PREFIX = "tern-best-";
    private static final Pattern PROGRESS_FILE = Pattern.compile("epoch-(\\d+)\\.progress");
    /** Progress-file keys holding an adaptive schedule's state start with this. */
    private static final String SCHEDULE_PREFIX = "schedule.";

    private final Path directory;

    private EpochCheckpoints(Path directory) {
        this.directory = directory;
    }

    /**
     * The checkpoints in {@code directory}, created with its parents if missing.
     *
     * @throws TrainingException if the folder cannot be created
     */
    public static EpochCheckpoints in(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new TrainingException("cannot create the checkpoint folder " + directory + ": " + e.getMessage(), e);
        }
        return new EpochCheckpoints(directory);
    }

    /**
     * A new temporary file for the best epoch's weights of a training without a checkpoint
     * folder; {@link #deleteTemporary} removes it when training ends.
     *
     * @throws UncheckedIOException if the file cannot be created
     */
    public static Path temporaryBestWeightsFile() {
        try {
            return Files.createTempFile(BEST_WEIGHTS_PREFIX, ".ckpt");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for the best weights", e);
        }
    }

    /** Deletes a {@link #temporaryBestWeightsFile()}, quietly: a leftover temporary file is harmless. */
    public static void deleteTemporary(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The training result stands; the file is the system's to clean up.
        }
    }

    /** The file holding the best epoch's weights. */
    public Path bestWeightsFile() {
        return directory.resolve("best.ckpt");
    }

    /**
     * Saves the session and {@code progress} as the checkpoint of the history's last epoch, and
     * removes the one before it.
     *
     * @throws TrainingException if a file cannot be written
     */
    public void save(WeightStore session, TrainerProgress progress) {
        int epoch = progress.lastEpoch();
        session.saveCheckpoint(checkpointFile(epoch));
        Path progressFile = progressFile(epoch);
        try {
            AtomicFiles.writeString(progressFile, toText(progress));
            if (epoch > 1) {
                Files.deleteIfExists(progressFile(epoch - 1));
                Files.deleteIfExists(checkpointFile(epoch - 1));
            }
        } catch (IOException e) {
            throw new TrainingException("cannot write " + progressFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * The progress of the latest complete checkpoint, if any; restore its session checkpoint
     * from {@link #checkpointFile(int)} of its last epoch.
     *
     * @throws TrainingException if the folder or the progress file cannot be read
     */
    public Optional<TrainerProgress> latest() {
        int latest = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher matcher = PROGRESS_FILE.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    latest = Math.max(latest, Integer.parseInt(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            throw new TrainingException("cannot list the checkpoint folder " + directory + ": " + e.getMessage(), e);
        }
        return latest == 0 ? Optional.empty() : Optional.of(readProgress(progressFile(latest)));
    }

    /** The session checkpoint written after {@code epoch}. */
    public Path checkpointFile(int epoch) {
        return directory.resolve(String.format("epoch-%04d.ckpt", epoch));
    }

    private Path progressFile(int epoch) {
        return directory.resolve(String.format("epoch-%04d.progress", epoch));
    }

    private static String toText(TrainerProgress progress) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("epochs", Integer.toString(progress.lastEpoch()));
        properties.setProperty("bestEpoch", Integer.toString(progress.bestEpoch()));
        // Double.toString round-trips exactly, so a resumed run compares values as the original would.
        properties.setProperty(BEST_VALUE, Double.toString(progress.bestValue()));
        progress.scheduleState().forEach((key, value) -> properties.setProperty(SCHEDULE_PREFIX + key, value));
        for (EpochStats stats : progress.history().epochs()) {
            properties.setProperty("epoch." + stats.epoch(), stats.trainLoss() + "," + stats.validationLoss() + ","
                    + stats.validationAccuracy() + "," + stats.examplesPerSecond() + "," + stats.validationRmse() + ","
                    + stats.validationMae());
            stats.metrics().forEach((name, value) ->
                    properties.setProperty(metricKey(stats.epoch(), name), Double.toString(value)));
        }
        StringWriter text = new StringWriter();
        properties.store(text, "Tern trainer progress");
        return text.toString();
    }

    private static String metricKey(int epoch, String metric) {
        return "epoch." + epoch + ".metric." + metric;
    }

    private static Map<String, Double> metrics(Properties properties, int epoch) {
        String prefix = metricKey(epoch, "");
        Map<String, Double> metrics = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                metrics.put(key.substring(prefix.length()), Double.parseDouble(properties.getProperty(key)));
            }
        }
        return metrics;
    }

    /** A cell that progress files written before regression errors were measured lack: NaN there. */
    private static double optionalCell(String[] cells, int index) {
        return index < cells.length ? Double.parseDouble(cells[index]) : Double.NaN;
    }

    private static TrainerProgress readProgress(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
            int epochs = Integer.parseInt(properties.getProperty("epochs"));
            TrainingHistory history = new TrainingHistory();
            for (int epoch = 1; epoch <= epochs; epoch++) {
                String[] cells = properties.getProperty("epoch." + epoch).split(",");
                history.add(new EpochStats(epoch, Double.parseDouble(cells[0]), Double.parseDouble(cells[1]),
                        Double.parseDouble(cells[2]), Double.parseDouble(cells[3]), optionalCell(cells, 4),
                        optionalCell(cells, 5), metrics(properties, epoch)));
            }
            Map<String, String> scheduleState = new HashMap<>();
            for (String key : properties.stringPropertyNames()) {
                if (key.startsWith(SCHEDULE_PREFIX)) {
                    scheduleState.put(key.substring(SCHEDULE_PREFIX.length()), properties.getProperty(key));
                }
            }
            // Files written before metrics were monitored by name hold the best validation loss.
            String best = properties.getProperty(BEST_VALUE, properties.getProperty("bestValidationLoss"));
            return new TrainerProgress(history, Integer.parseInt(properties.getProperty("bestEpoch")),
                    Double.parseDouble(best), scheduleState);
        } catch (IOException | RuntimeException e) {
            throw new TrainingException("cannot read the trainer progress " + file + ": " + e, e);
        }
    }
}
