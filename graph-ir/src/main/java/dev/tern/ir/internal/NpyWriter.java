package dev.tern.ir.internal;

import dev.tern.ir.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/** Writes a tensor as little-endian, C-order {@code .npy}: format 1.0, or 2.0 when the header needs it. */
public final class NpyWriter {
    /** numpy aligns the data start to 64 bytes so memory-mapped arrays are aligned. */
    private static final int ALIGNMENT = 64;

    private NpyWriter() {
    }

    /**
     * Writes the preamble, header and data of {@code tensor} to {@code channel}; does not close it.
     *
     * @throws dev.tern.ir.NpyFormatException if numpy has no dtype for the tensor's element type
     * @throws IOException if writing fails
     */
    public static void write(Tensor tensor, WritableByteChannel channel) throws IOException {
        String descr = requireWritable(tensor);
        writeFully(channel, ByteBuffer.wrap(header(descr, tensor.dims())));
        writeFully(channel, tensor.data());
    }

    /**
     * Checks that {@code .npy} can hold the tensor, so a caller can refuse before creating a file.
     *
     * @return the dtype string the tensor is written with
     * @throws dev.tern.ir.NpyFormatException if numpy has no dtype for the tensor's element type
     */
    public static String requireWritable(Tensor tensor) {
        return NpyDtype.littleEndianDescr(tensor.elementType(), tensor.name());
    }

    private static byte[] header(String descr, long[] dims) {
        String dictionary = new NpyHeader(descr, false, dims).format();
        byte[] text = dictionary.getBytes(StandardCharsets.ISO_8859_1);
        int major = 1;
        int preamble = NpyReader.MAGIC.length + 2 + 2;
        int headerLength = padded(preamble, text.length);
        if (headerLength > 0xFFFF) {
            major = 2;
            preamble = NpyReader.MAGIC.length + 2 + 4;
            headerLength = padded(preamble, text.length);
        }
        ByteBuffer out = ByteBuffer.allocate(preamble + headerLength).order(ByteOrder.LITTLE_ENDIAN);
        out.put(NpyReader.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) headerLength);
        } else {
            out.putInt(headerLength);
        }
        out.put(text);
        while (out.position() < out.capacity() - 1) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    /** Header length (text, spaces, newline) that makes preamble plus header a multiple of the alignment. */
    private static int padded(int preamble, int textLength) {
        int unpadded = preamble + textLength + 1;
        int total = (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        return total - preamble;
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
