package dev.tern.exec.internal.stderr;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Writes straight to a file descriptor with {@code write(2)}, unbuffered. Java cannot open a
 * stream on a descriptor number it did not create, and reopening {@code /proc/self/fd/N} would
 * start a regular file at offset 0 again, overwriting what the process wrote before.
 * Closing this stream leaves the descriptor open: it belongs to whoever created it.
 */
final class DescriptorOutputStream extends OutputStream {
    private final LibC libc;
    private final int fd;

    DescriptorOutputStream(LibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        byte[] rest = offset == 0 ? bytes : Arrays.copyOfRange(bytes, offset, offset + length);
        int left = length;
        while (left > 0) {
            int written;
            try {
                written = libc.write(fd, rest, new NativeLong(left)).intValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LibC.EINTR) {
                    continue;
                }
                throw new IOException("cannot write to file descriptor " + fd + ": errno " + e.getErrorCode(), e);
            }
            left -= written;
            if (left > 0) {
                // A short write (a pipe that filled up, a signal): JNA passes arrays from their start.
                rest = Arrays.copyOfRange(rest, written, written + left);
            }
        }
    }
}
