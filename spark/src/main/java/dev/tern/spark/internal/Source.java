package dev.tern.spark.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.spark.broadcast.Broadcast;

/**
 * Where executors find a file they need (a model, a tokenizer definition): a path every
 * executor can read, or bytes broadcast from the driver, which reach each executor JVM once
 * and not with every task. {@link #key()} identifies the content for {@link ExecutorCache}.
 */
public final class Source implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final Broadcast<byte[]> bytes;
    private final String key;

    private Source(String path, Broadcast<byte[]> bytes, String key) {
        this.path = path;
        this.bytes = bytes;
        this.key = key;
    }

    public static Source ofPath(Path path) {
        String absolute = path.toAbsolutePath().toString();
        return new Source(absolute, null, "file:" + absolute);
    }

    /** Bytes whose SHA-256 is {@code digest}: equal contents share one cache entry. */
    public static Source ofBroadcast(Broadcast<byte[]> bytes, String digest) {
        return new Source(null, Objects.requireNonNull(bytes, "bytes"), "sha256:" + digest);
    }

    public String key() {
        return key;
    }

    /** The path, or null for broadcast bytes. */
    public Path path() {
        return path == null ? null : Path.of(path);
    }

    /** The broadcast bytes; only for a source that is not a path. */
    public byte[] bytes() {
        if (bytes == null) {
            throw new IllegalStateException(key + " is a path, not bytes");
        }
        return bytes.value();
    }

    public InputStream openBytes() {
        return new ByteArrayInputStream(bytes());
    }

    @Override
    public String toString() {
        return path != null ? path : key;
    }
}
