package dev.tern.ir.internal;

import dev.tern.ir.NpyFormatException;
import dev.tern.ir.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads one array from {@code .npy} data. Every size the header claims is checked against
 * what is really there before memory is allocated, so a forged header cannot exhaust memory.
 */
public final class NpyReader {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy itself refuses headers over 10,000 bytes by default; this leaves ample room. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** Streamed data are read in pieces of this size, so memory grows only as data arrive. */
    private static final int STREAM_CHUNK = 8 << 20;

    /** Where the data start and what they hold. */
    private record Layout(NpyDtype dtype, long[] dims, long dataOffset, long dataBytes) {
    }

    private NpyReader() {
    }

    /**
     * Reads a file, memory-mapping little-endian data so the tensor aliases the file; big-endian
     * data are converted into a new buffer. The tensor is named after the file, without {@code .npy}.
     *
     * @throws NpyFormatException naming the file if it is malformed or unsupported
     * @throws IOException if the file cannot be read
     */
    public static Tensor read(Path path) throws IOException {
        String source = "file " + path;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            Layout layout = readLayout(Channels.newInputStream(channel), source, fileSize);
            long available = fileSize - layout.dataOffset();
            if (available != layout.dataBytes()) {
                throw new NpyFormatException(source + ": shape " + Arrays.toString(layout.dims()) + " of dtype "
                        + layout.dtype().elementType().onnxName() + " needs " + layout.dataBytes()
                        + " bytes of data, found " + available + (available < layout.dataBytes() ? " (truncated)" : ""));
            }
            requireOneBuffer(layout, source);
            ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, layout.dataOffset(), layout.dataBytes());
            return toTensor(tensorName(path), layout, data);
        }
    }

    /**
     * Reads one array from a stream, leaving it just after the array's data (numpy can write
     * several arrays one after another to one file). The tensor has an empty name.
     *
     * @throws NpyFormatException naming {@code source} if the data are malformed or unsupported
     * @throws IOException if the stream fails
     */
    public static Tensor read(InputStream in, String source) throws IOException {
        Layout layout = readLayout(in, source, Long.MAX_VALUE);
        requireOneBuffer(layout, source);
        ByteBuffer data = readData(in, layout, source);
        return toTensor("", layout, data);
    }

    private static Layout readLayout(InputStream in, String source, long totalBytes) throws IOException {
        byte[] preamble = in.readNBytes(MAGIC.length + 2);
        if (preamble.length < MAGIC.length + 2 || !Arrays.equals(preamble, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new NpyFormatException(source + ": not a .npy file: expected magic \\x93NUMPY and a version, found "
                    + (preamble.length == 0 ? "no bytes" : "bytes " + HexFormat.ofDelimiter(" ").formatHex(preamble)));
        }
        int major = preamble[6];
        int minor = preamble[7];
        if (minor != 0 || major < 1 || major > 3) {
            throw new NpyFormatException(source + ": unsupported .npy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lengthField = in.readNBytes(lengthBytes);
        if (lengthField.length < lengthBytes) {
            throw new NpyFormatException(source + ": truncated .npy preamble: the header length is missing");
        }
        long headerLength = ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN).getShort(0) & 0xFFFFL;
        if (lengthBytes == 4) {
            headerLength = ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN).getInt(0) & 0xFFFFFFFFL;
        }
        long headerStart = MAGIC.length + 2L + lengthBytes;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new NpyFormatException(source + ": header length " + headerLength + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (headerStart + headerLength > totalBytes) {
            throw new NpyFormatException(source + ": truncated header: it declares " + headerLength
                    + " bytes, only " + (totalBytes - headerStart) + " follow");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new NpyFormatException(source + ": truncated header: it declares " + headerLength
                    + " bytes, only " + headerBytes.length + " follow");
        }
        String text = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header = NpyHeader.parse(text, source);
        if (header.fortranOrder()) {
            throw new NpyFormatException(source + ": fortran_order is True (column-major data); only C order is "
                    + "supported, save it with numpy.ascontiguousarray");
        }
        NpyDtype dtype = NpyDtype.parse(header.descr(), source);
        long dataBytes;
        try {
            long count = 1;
            for (long dim : header.shape()) {
                count = Math.multiplyExact(count, dim);
            }
            dataBytes = Math.multiplyExact(count, (long) dtype.itemSize());
        } catch (ArithmeticException e) {
            throw new NpyFormatException(source + ": shape " + Arrays.toString(header.shape()) + " overflows a long");
        }
        return new Layout(dtype, header.shape(), headerStart + headerLength, dataBytes);
    }

    private static void requireOneBuffer(Layout layout, String source) {
        if (layout.dataBytes() > Integer.MAX_VALUE) {
            throw new NpyFormatException(source + ": shape " + Arrays.toString(layout.dims()) + " needs "
                    + layout.dataBytes() + " bytes, more than one tensor buffer holds (2 GiB)");
        }
    }

    private static ByteBuffer readData(InputStream in, Layout layout, String source) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        long remaining = layout.dataBytes();
        while (remaining > 0) {
            byte[] chunk = in.readNBytes((int) Math.min(remaining, STREAM_CHUNK));
            chunks.add(chunk);
            remaining -= chunk.length;
            if (chunk.length == 0) {
                throw new NpyFormatException(source + ": shape " + Arrays.toString(layout.dims()) + " needs "
                        + layout.dataBytes() + " bytes of data, found " + (layout.dataBytes() - remaining) + " (truncated)");
            }
        }
        ByteBuffer data = ByteBuffer.allocateDirect((int) layout.dataBytes());
        chunks.forEach(data::put);
        return data.flip();
    }

    private static Tensor toTensor(String name, Layout layout, ByteBuffer data) {
        ByteBuffer littleEndian = layout.dtype().bigEndian() ? swapToLittleEndian(data, layout.dtype().swapUnit()) : data;
        return Tensor.of(name, layout.dtype().elementType(), layout.dims(), littleEndian);
    }

    /** A new buffer holding {@code bigEndian}'s units of {@code unit} bytes in little-endian order. */
    static ByteBuffer swapToLittleEndian(ByteBuffer bigEndian, int unit) {
        ByteBuffer source = bigEndian.duplicate().order(ByteOrder.BIG_ENDIAN);
        ByteBuffer target = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        switch (unit) {
            case 2 -> target.asShortBuffer().put(source.asShortBuffer());
            case 4 -> target.asIntBuffer().put(source.asIntBuffer());
            case 8 -> target.asLongBuffer().put(source.asLongBuffer());
            default -> throw new IllegalArgumentException("no byte swap for units of " + unit + " bytes");
        }
        return target;
    }

    private static String tensorName(Path path) {
        String fileName = path.getFileName().toString();
        return fileName.endsWith(".npy") ? fileName.substring(0, fileName.length() - 4) : fileName;
    }
}
