package dev.tern.ir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;

/**
 * Writes a file so that a reader sees either the old file or the complete new one: the content
 * goes to a temporary file beside the target, which is then renamed over it. Every module that
 * writes models, checkpoints or reports writes them through here.
 *
 * <p>The temporary file, and so the file written, gets the permissions of the file it replaces
 * or, for a new file, those of any file the process creates (0666 less its umask: 0644 under the
 * usual umask 022). {@link Files#createTempFile} would make it 0600, readable by its owner only,
 * which is right for scratch files but not for a model others must serve.
 */
public final class AtomicFiles {
    /** Attempts at a fresh temporary name before giving up; each collides only if the name is taken. */
    private static final int NAME_ATTEMPTS = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A file's content, written to the stream it is given (which the caller closes). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code content} to a temporary file beside {@code target}, then renames it over the
     * target. The temporary file is removed if anything fails, and the target is left as it was.
     *
     * @throws IOException if the file cannot be written or renamed
     */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temporary = createSibling(absolute);
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                content.writeTo(out);
            }
            replace(temporary, absolute);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * {@link #write} of {@code text} as UTF-8.
     *
     * @throws IOException if the file cannot be written or renamed
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Creates an empty, hidden temporary file in {@code target}'s folder, with the permissions
     * {@code target} has if it exists, or else those a new file gets. The caller writes it, then
     * {@link #replace}s the target with it, and deletes it if anything fails.
     *
     * @throws IOException if the folder does not exist or the file cannot be created
     */
    public static Path createSibling(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        String prefix = "." + absolute.getFileName() + "-";
        for (int attempt = 1; ; attempt++) {
            Path temporary = folder.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                // Without explicit attributes the file is created 0666 less the umask, as any new file.
                Files.createFile(temporary);
            } catch (FileAlreadyExistsException e) {
                if (attempt == NAME_ATTEMPTS) {
                    throw e;
                }
                continue;
            }
            try {
                copyPermissions(absolute, temporary);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temporary);
                throw e;
            }
            return temporary;
        }
    }

    /**
     * Renames {@code temporary} over {@code target}: atomically where the file system can, and
     * otherwise by a plain replace, the best such a file system offers.
     *
     * @throws IOException if the rename fails
     */
    public static void replace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Gives {@code copy} the permissions of {@code original}, if that exists on a POSIX file system. */
    private static void copyPermissions(Path original, Path copy) throws IOException {
        PosixFileAttributeView originalView = Files.getFileAttributeView(original, PosixFileAttributeView.class);
        if (originalView == null) {
            return;
        }
        try {
            Files.setPosixFilePermissions(copy, originalView.readAttributes().permissions());
        } catch (NoSuchFileException e) {
            // Nothing is replaced: the new file keeps the permissions it was created with.
        }
    }
}
