package dev.tern.train.internal;

import dev.tern.ir.AtomicFiles;
import dev.tern.ir.NpyFormat;
import dev.tern.ir.Tensor;
import dev.tern.train.TrainingException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The checkpoint format: a zip file that NumPy reads as an {@code .npz} archive. It holds one
 * {@code .npy} entry per tensor, named by the URL-encoded tensor name (weights under their
 * initializer names, optimizer state under {@code <weight>.<slot>}), and
 * {@code manifest.properties} with {@code format=tern-checkpoint}, {@code version=1},
 * {@code step} (steps taken so far), {@code optimizer} (a description, informative only) and
 * {@code tensor.<i>} listing the tensor names in order; a checkpoint of several parameter
 * groups adds {@code group.<i>} naming each group and {@code group.<i>.step} its own step
 * count. Writing is atomic: the file is
 * written and synced under a temporary name in the same folder, then renamed over the target,
 * so a crash leaves either the old checkpoint or the new one.
 */
public final class CheckpointFile {
    static final String MANIFEST = "manifest.properties";
    private static final String FORMAT = "tern-checkpoint";
    private static final String VERSION = "1";

    /**
     * A checkpoint's contents: steps taken, the tensors by name in the order written, and each
     * parameter group's own step count (empty for a session of one group).
     */
    public record Contents(long step, Map<String, Tensor> tensors, Map<String, Long> groupSteps) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            groupSteps = Collections.unmodifiableMap(new LinkedHashMap<>(groupSteps));
        }

        /** The contents of a session of one group. */
        public Contents(long step, Map<String, Tensor> tensors) {
            this(step, tensors, Map.of());
        }
    }

    private CheckpointFile() {
    }

    /**
     * Writes {@code contents} to {@code file} atomically, replacing any file there.
     *
     * @throws TrainingException if the file cannot be written; the old one, if any, is intact
     */
    public static void write(Path file, Contents contents, String optimizer) {
        Path target = file.toAbsolutePath();
        Path temporary = null;
        try {
            temporary = AtomicFiles.createSibling(target);
            try (OutputStream out = Files.newOutputStream(temporary);
                 ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry(MANIFEST));
                manifest(contents, optimizer).store(zip, "Tern training checkpoint");
                zip.closeEntry();
                for (Tensor tensor : contents.tensors().values()) {
                    zip.putNextEntry(new ZipEntry(entryName(tensor.name())));
                    NpyFormat.write(tensor, zip);
                    zip.closeEntry();
                }
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            move(temporary, target);
        } catch (IOException e) {
            throw new TrainingException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /**
     * Reads a checkpoint written by {@link #write}.
     *
     * @throws TrainingException if the file is missing, not a Tern checkpoint of a version
     *     this code reads, or an entry it lists is missing or unreadable
     */
    public static Contents read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Properties manifest = new Properties();
            ZipEntry manifestEntry = zip.getEntry(MANIFEST);
            if (manifestEntry == null) {
                throw invalid(file, "it has no " + MANIFEST);
            }
            try (InputStream in = zip.getInputStream(manifestEntry)) {
                manifest.load(in);
            }
            if (!FORMAT.equals(manifest.getProperty("format")) || !VERSION.equals(manifest.getProperty("version"))) {
                throw invalid(file, "expected format " + FORMAT + " version " + VERSION + ", found format "
                        + manifest.getProperty("format") + " version " + manifest.getProperty("version"));
            }
            long step = parseStep(file, manifest.getProperty("step"));
            Map<String, Long> groupSteps = new LinkedHashMap<>();
            for (int index = 0; manifest.containsKey("group." + index); index++) {
                groupSteps.put(manifest.getProperty("group." + index),
                        parseStep(file, manifest.getProperty("group." + index + ".step")));
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (int index = 0; manifest.containsKey("tensor." + index); index++) {
                String name = manifest.getProperty("tensor." + index);
                ZipEntry entry = zip.getEntry(entryName(name));
                if (entry == null) {
                    throw invalid(file, "tensor '" + name + "' is listed but entry " + entryName(name) + " is missing");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    tensors.put(name, NpyFormat.read(in).withName(name));
                }
            }
            return new Contents(step, tensors, groupSteps);
        } catch (IOException e) {
            throw new TrainingException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static Properties manifest(Contents contents, String optimizer) {
        Properties manifest = new Properties();
        manifest.setProperty("format", FORMAT);
        manifest.setProperty("version", VERSION);
        manifest.setProperty("step", Long.toString(contents.step()));
        manifest.setProperty("optimizer", optimizer);
        int index = 0;
        for (String name : contents.tensors().keySet()) {
            manifest.setProperty("tensor." + index++, name);
        }
        int group = 0;
        for (Map.Entry<String, Long> groupStep : contents.groupSteps().entrySet()) {
            manifest.setProperty("group." + group, groupStep.getKey());
            manifest.setProperty("group." + group + ".step", Long.toString(groupStep.getValue()));
            group++;
        }
        return manifest;
    }

    private static long parseStep(Path file, String step) {
        try {
            long value = Long.parseLong(step);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value found.
        }
        throw invalid(file, "step must be a count of 0 or more, found '" + step + "'");
    }

    private static String entryName(String tensorName) {
        return URLEncoder.encode(tensorName, StandardCharsets.UTF_8) + ".npy";
    }

    private static void move(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename atomically in " + target.getParent(), e);
        }
    }

    private static void deleteQuietly(Path temporary) {
        if (temporary == null) {
            return;
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // The write itself succeeded or already failed with its own message; a stray temporary file is harmless.
        }
    }

    private static TrainingException invalid(Path file, String why) {
        return new TrainingException("checkpoint " + file + " is not valid: " + why);
    }
}
