package dev.tern.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The CPU time this JVM has used, split into the in-process server's own threads (its transport
 * event loops and model workers, by their names) and everything else: the load generator's
 * client, ONNX Runtime's native threads, the JVM's own. Comparing two snapshots tells whose CPU
 * a request costs when server and client share the machine's cores.
 */
record ServerCpu(long serverNanos, long processNanos) {
    /** The names the server's threads start with: transport event loops and model workers. */
    private static final List<String> SERVER_THREADS = List.of("tern-io-", "tern-accept-", "tern-worker-");

    static ServerCpu now() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long server = 0;
        for (long id : threads.getAllThreadIds()) {
            ThreadInfo info = threads.getThreadInfo(id);
            long cpu = threads.getThreadCpuTime(id);
            if (info != null && cpu > 0 && SERVER_THREADS.stream().anyMatch(info.getThreadName()::startsWith)) {
                server += cpu;
            }
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new ServerCpu(server, os.getProcessCpuTime());
    }

    /** The server's CPU since {@code earlier}, in microseconds per one of {@code requests}. */
    double serverMicrosPerRequest(ServerCpu earlier, double requests) {
        return (serverNanos - earlier.serverNanos) / 1e3 / requests;
    }

    /** Everything else's CPU since {@code earlier}, in microseconds per one of {@code requests}. */
    double otherMicrosPerRequest(ServerCpu earlier, double requests) {
        return (processNanos - earlier.processNanos - (serverNanos - earlier.serverNanos)) / 1e3 / requests;
    }
}
