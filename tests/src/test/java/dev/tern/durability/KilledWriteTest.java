package dev.tern.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed with SIGKILL while it writes a model, a checkpoint or a training report
 * leaves the file it was replacing as it was: the previous version, complete and readable.
 *
 * <p>A child JVM ({@link RepeatedWriter}) writes version after version over one file. Every
 * writer first writes a temporary file beside the target and then renames it over the target
 * (a model with external data writes its data file the same way first, while the model's
 * temporary file already exists), so the test times a write by that temporary file (from when
 * it appears until it is renamed away). When a later write's temporary file appears, it waits a
 * random part of that time and, if the temporary file is still there, kills the child;
 * otherwise it tries the next write with a shorter wait. The kill leaves the temporary file
 * behind, and the target must then be, byte for byte, the last version the child reported
 * finished, and read back as that version (for the model with external data: with the data
 * file that version wrote).
 */
class KilledWriteTest {
    /** Writes to try killing in, per child. */
    private static final int TRIES = 20;
    /** Children to start, in case a kill races with the end of a write (the rename) and misses it. */
    private static final int CHILDREN = 3;
    private static final long PATIENCE_MILLIS = 180_000;

    @TempDir
    Path temporary;

    @ParameterizedTest
    @EnumSource(WrittenFile.class)
    void killInTheMiddleOfAWriteLeavesThePreviousVersion(WrittenFile kind) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int attempt = 1; attempt <= CHILDREN; attempt++) {
            Path work = Files.createDirectory(temporary.resolve("child-" + attempt));
            Path folder = Files.createDirectory(work.resolve("written"));
            Path target = folder.resolve(kind.fileName());
            String context = kind + " (child " + attempt + ", seed " + seed + ")";
            try (ChildWriter child = ChildWriter.start(kind, target, work)) {
                await(() -> child.lastVersionWritten() >= 1, child, context + ": the first version");
                if (killDuringAWrite(folder, child, random, context) && hasTemporaryFile(folder)) {
                    int previous = child.lastVersionWritten();
                    assertEquals(child.digestOf(previous), RepeatedWriter.sha256(target),
                            context + ": the target is not the version written before the kill\n" + child.output());
                    assertEquals(previous, kind.readVersion(target), context);
                    return;
                }
            }
        }
        fail(kind + ": no kill of " + CHILDREN + " children landed inside a write, between its temporary file"
                + " appearing and being renamed over the target (seed " + seed + ")");
    }

    /** Kills the child at a random moment of one of its next writes; false if every try found the write done. */
    private static boolean killDuringAWrite(Path folder, ChildWriter child, Random random, String context)
            throws Exception {
        long window = timeOneWrite(folder, child, context);
        for (int tries = 0; tries < TRIES; tries++) {
            await(() -> hasTemporaryFile(folder), child, context + ": the next write");
            Thread.sleep(random.nextLong(Math.max(1, window * 3 / 4)));
            if (hasTemporaryFile(folder)) {
                child.kill();
                return true;
            }
            window = Math.max(1, window / 2);
        }
        return false;
    }

    /** Waits for a write's temporary file to appear and to be renamed away; its lifetime in milliseconds. */
    private static long timeOneWrite(Path folder, ChildWriter child, String context) throws Exception {
        await(() -> hasTemporaryFile(folder), child, context + ": a write to time");
        long started = System.nanoTime();
        await(() -> !hasTemporaryFile(folder), child, context + ": the timed write to finish");
        return (System.nanoTime() - started) / 1_000_000;
    }

    /**
     * Whether a write's temporary file lies in the target's folder: hidden and ending in
     * {@code .tmp}, as {@link dev.tern.ir.AtomicFiles} names them. (An external data file lies
     * there between writes too.)
     */
    private static boolean hasTemporaryFile(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .anyMatch(name -> name.startsWith(".") && name.endsWith(".tmp"));
        } catch (IOException e) {
            throw new AssertionError("cannot list " + folder, e);
        }
    }

    private static void await(Condition condition, ChildWriter child, String what) throws Exception {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        while (!condition.holds()) {
            if (!child.isAlive() || System.currentTimeMillis() > deadline) {
                fail(what + ": " + (child.isAlive() ? "timed out" : "the child died") + "\n" + child.output());
            }
            Thread.sleep(1);
        }
    }

    /** Something the test waits for, which may need to read a file to tell. */
    private interface Condition {
        boolean holds() throws IOException;
    }
}
