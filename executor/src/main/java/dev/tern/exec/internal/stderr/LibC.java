package dev.tern.exec.internal.stderr;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The few POSIX calls that move file descriptor 2, bound through JNA. Their signatures are the
 * same in glibc, musl and macOS's libSystem; each throws {@link LastErrorException} (carrying
 * {@code errno}) where the C function returns -1.
 */
interface LibC extends Library {
    /** Where {@code errno} says a call was interrupted by a signal before it did anything. */
    int EINTR = 4;
    /** {@code fcntl} command that sets a descriptor's flags; 2 on Linux and macOS alike. */
    int F_SETFD = 2;
    /** The close-on-exec flag, so that child processes do not inherit the descriptor. */
    int FD_CLOEXEC = 1;

    /** The C library of this process ({@code libc.so.6}, {@code libSystem.dylib}). */
    static LibC load() {
        return Native.load("c", LibC.class);
    }

    int pipe(int[] fds) throws LastErrorException;

    int dup(int fd) throws LastErrorException;

    int dup2(int oldFd, int newFd) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int fcntl(int fd, int command, int argument) throws LastErrorException;

    NativeLong read(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

    NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;
}
