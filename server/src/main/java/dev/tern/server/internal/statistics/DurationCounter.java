package dev.tern.server.internal.statistics;

import dev.tern.server.proto.StatisticDuration;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often something happened and its total time, as Triton's {@code StatisticDuration}.
 * Lock-free: each add touches two {@link LongAdder}s, which spread contention across cells, so
 * recording on every request costs no lock; a read may see one half of a concurrent add.
 */
final class DurationCounter {
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    void add(long times, long totalNanos) {
        count.add(times);
        nanos.add(totalNanos);
    }

    long count() {
        return count.sum();
    }

    long nanos() {
        return nanos.sum();
    }

    StatisticDuration toMessage() {
        return StatisticDuration.newBuilder().setCount(count()).setNs(nanos()).build();
    }
}
