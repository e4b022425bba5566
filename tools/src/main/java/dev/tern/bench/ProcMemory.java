package dev.tern.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident memory from /proc/PID/status (Linux only). */
record ProcMemory(long rssKiB, long anonKiB, long fileKiB) {

    /** This process's. */
    static ProcMemory read() throws IOException {
        return read(Path.of("/proc/self/status"));
    }

    /** Process {@code pid}'s. */
    static ProcMemory of(long pid) throws IOException {
        return read(Path.of("/proc/" + pid + "/status"));
    }

    private static ProcMemory read(Path status) throws IOException {
        long rss = 0;
        long anon = 0;
        long file = 0;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                rss = kib(line);
            } else if (line.startsWith("RssAnon:")) {
                anon = kib(line);
            } else if (line.startsWith("RssFile:")) {
                file = kib(line);
            }
        }
        return new ProcMemory(rss, anon, file);
    }

    double rssMiB() {
        return rssKiB / 1024.0;
    }

    double anonMiB() {
        return anonKiB / 1024.0;
    }

    double fileMiB() {
        return fileKiB / 1024.0;
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
