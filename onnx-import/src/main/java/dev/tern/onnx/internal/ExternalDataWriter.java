package dev.tern.onnx.internal;

import dev.tern.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends tensor bytes to one external data file and says where each landed, as the
 * {@code external_data} entries of its {@code TensorProto}. Offsets are aligned so readers
 * can map tensors directly: to a page for big tensors, to a cache line for the rest.
 */
public final class ExternalDataWriter implements Closeable {
    static final int PAGE_ALIGNMENT = 4096;
    static final int SMALL_ALIGNMENT = 64;
    private static final long PAGE_ALIGNED_FROM = 1 << 20;

    private final FileChannel channel;
    private final String location;
    private long position;

    /**
     * @param file where the bytes go (created or truncated)
     * @param location the name written into {@code external_data}, relative to the model's folder
     */
    public ExternalDataWriter(Path file, String location) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.location = location;
    }

    /** Whether any tensor was written. */
    public boolean isEmpty() {
        return position == 0;
    }

    /**
     * Writes {@code data} (position to limit) at the next aligned offset.
     *
     * @throws UncheckedIOException if writing fails
     */
    List<StringStringEntryProto> append(ByteBuffer data) {
        long length = data.remaining();
        int alignment = length >= PAGE_ALIGNED_FROM ? PAGE_ALIGNMENT : SMALL_ALIGNMENT;
        long offset = (position + alignment - 1) / alignment * alignment;
        try {
            ByteBuffer source = data.duplicate();
            long at = offset;
            while (source.hasRemaining()) {
                at += channel.write(source, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        position = offset + length;
        return List.of(StringEntries.entry("location", location), StringEntries.entry("offset", Long.toString(offset)),
                StringEntries.entry("length", Long.toString(length)));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
