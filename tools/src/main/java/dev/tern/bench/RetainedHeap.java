package dev.tern.bench;

import dev.tern.ir.Model;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How much memory an imported model keeps alive: forces GC, records used heap and the JVM's
 * mapped and direct buffer pools, imports, forces GC again while still holding the model, and
 * prints the differences, for {@code OnnxImporter.read(Path)} and for reading the file into a
 * byte array followed by {@code read(byte[])} (the array is dropped after import, so it counts
 * only if the model keeps it).
 *
 * <p>Usage: {@code java -cp tools/target/tern.jar dev.tern.bench.RetainedHeap [MODEL [ROUNDS]]}.
 */
public final class RetainedHeap {
    /** The fp32 MiniLM the build unpacks, relative to the repository root. */
    static final String DEFAULT_MODEL = "tools/target/models/all-minilm-l6-v2.onnx";

    private static final int DEFAULT_ROUNDS = 3;
    private static final int MAX_GC_ATTEMPTS = 10;
    /** Readings closer than this count as settled: the JMX calls themselves allocate a little. */
    private static final long SETTLED_TOLERANCE_BYTES = 64 * 1024;
    private static final double MIB = 1024.0 * 1024.0;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    private RetainedHeap() {
    }

    /** Prints one line per import path and round. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path model = requireModel(args.length > 0 ? args[0] : DEFAULT_MODEL);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_ROUNDS;
        RetainedHeap measurement = new RetainedHeap();
        System.out.printf(Locale.ROOT, "retained memory after importing %s (%.1f MiB file)%n",
                model, Files.size(model) / MIB);
        for (int round = 1; round <= rounds; round++) {
            measurement.measure("read(Path)       ", round, () -> OnnxImporter.read(model));
            measurement.measure("read(byte[] file)", round, () -> OnnxImporter.read(Files.readAllBytes(model)));
        }
    }

    /** @throws NoSuchFileException with a hint on how to get the default model */
    static Path requireModel(String model) throws NoSuchFileException {
        Path path = Path.of(model);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toAbsolutePath().toString(), null,
                    "model not found; run from the repository root after 'mvn -pl tools -am package'");
        }
        return path;
    }

    private interface Importer {
        Model importModel() throws IOException;
    }

    private void measure(String label, int round, Importer importer) throws IOException, InterruptedException {
        Snapshot before = snapshot();
        Model model = importer.importModel();
        Snapshot after = snapshot();
        System.out.printf(Locale.ROOT, "%s round %d: heap %+8.2f MiB, mapped %+8.2f MiB, direct %+8.2f MiB%n",
                label, round, (after.heap - before.heap) / MIB, (after.mapped - before.mapped) / MIB,
                (after.direct - before.direct) / MIB);
        // The model must be alive during the second snapshot, or GC could collect it first.
        Reference.reachabilityFence(model);
    }

    private record Snapshot(long heap, long mapped, long direct) {
    }

    private Snapshot snapshot() throws InterruptedException {
        long heap = settledHeap();
        return new Snapshot(heap, bufferPool("mapped"), bufferPool("direct"));
    }

    /** Used heap after GC, repeated until two readings agree, so that cleanup GC triggers has finished. */
    private long settledHeap() throws InterruptedException {
        long previous = -1;
        for (int attempt = 0; attempt < MAX_GC_ATTEMPTS; attempt++) {
            System.gc();
            Thread.sleep(50);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (previous >= 0 && Math.abs(used - previous) < SETTLED_TOLERANCE_BYTES) {
                return used;
            }
            previous = used;
        }
        return previous;
    }

    private static long bufferPool(String name) {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals(name)) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }
}
