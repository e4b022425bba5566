package dev.tern.ir;

import dev.tern.ir.internal.NpyReader;
import dev.tern.ir.internal.NpyWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * numpy's {@code .npy} format for one {@link Tensor}.
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0, C order only, and the dtypes bool,
 * int8..int64, uint8..uint64, float16, float32, float64, complex64 and complex128 in either
 * byte order; big-endian data are converted to little-endian. Element types numpy has no
 * dtype for (bfloat16, the float8 and 4- and 2-bit types, strings) cannot be written.
 * Writing produces little-endian format 1.0, or 2.0 when the header is too long for 1.0.
 */
public final class NpyFormat {
    private NpyFormat() {
    }

    /**
     * Reads a {@code .npy} file. Little-endian data are memory-mapped, not copied: the tensor
     * aliases the file, which must not be modified while the tensor is in use. The tensor is
     * named after the file without its {@code .npy} extension.
     *
     * @throws NpyFormatException naming the file if it is malformed (bad magic, truncated header,
     *     data size not matching the shape) or unsupported (dtype, Fortran order, over 2 GiB)
     * @throws IOException if the file cannot be read
     */
    public static Tensor read(Path path) throws IOException {
        return NpyReader.read(path);
    }

    /**
     * Reads one array from a stream, leaving the stream just after its data (several arrays
     * may follow one another). The data are copied into a new buffer; the tensor has an empty
     * name. The stream is not closed.
     *
     * @throws NpyFormatException if the data are malformed or unsupported
     * @throws IOException if the stream fails
     */
    public static Tensor read(InputStream in) throws IOException {
        return NpyReader.read(in, "stream");
    }

    /**
     * Writes {@code tensor} to a file, replacing it if it exists.
     *
     * @throws NpyFormatException if numpy has no dtype for the tensor's element type
     * @throws IOException if the file cannot be written
     */
    public static void write(Tensor tensor, Path path) throws IOException {
        NpyWriter.requireWritable(tensor);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            NpyWriter.write(tensor, channel);
        }
    }

    /**
     * Writes {@code tensor} to a stream and flushes it; the stream is not closed.
     *
     * @throws NpyFormatException if numpy has no dtype for the tensor's element type
     * @throws IOException if the stream fails
     */
    public static void write(Tensor tensor, OutputStream out) throws IOException {
        NpyWriter.write(tensor, Channels.newChannel(out));
        out.flush();
    }
}
