package dev.tern.durability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The child process of {@link KilledWriteTest}: writes versions 1, 2, 3, ... of one
 * {@link WrittenFile} over the same path, and after each prints {@code wrote <version> <sha-256>}
 * of the file as it now is. Runs until killed, or until its standard input closes (the parent
 * is gone).
 *
 * <p>Arguments: the {@link WrittenFile} name and the target path.
 */
public final class RepeatedWriter {
    private RepeatedWriter() {
    }

    public static void main(String[] args) throws Exception {
        WrittenFile kind = WrittenFile.valueOf(args[0]);
        Path target = Path.of(args[1]);
        exitWhenStdinCloses();
        try (WrittenFile.Writer writer = kind.writer(target)) {
            for (int version = 1; ; version++) {
                writer.write(version);
                System.out.println("wrote " + version + " " + sha256(target));
                System.out.flush();
            }
        }
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void exitWhenStdinCloses() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // The parent writes nothing; end of input means it has gone.
                }
            } catch (IOException e) {
                // Treated as the end of input.
            }
            System.exit(3);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
