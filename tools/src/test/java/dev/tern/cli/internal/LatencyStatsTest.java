package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {
    @Test
    void mergesThreadsAndTakesNearestRankPercentiles() {
        LatencyLog first = new LatencyLog();
        LatencyLog second = new LatencyLog();
        // 1..100 spread over two logs, out of order, and past the initial capacity of one.
        for (int i = 100; i >= 1; i--) {
            (i % 2 == 0 ? first : second).add(i);
        }
        for (int i = 0; i < 2000; i++) {
            first.add(50);
        }

        LatencyStats stats = LatencyStats.of(List.of(first, second));

        assertEquals(2100, stats.count());
        assertEquals(50, stats.p50Nanos());
        assertEquals(100, stats.maxNanos());
        assertEquals((5050 + 2000 * 50) / 2100.0, stats.meanNanos(), 1e-9);
    }

    @Test
    void percentileIsTheSmallestValueCoveringThatShare() {
        long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

        assertEquals(50, LatencyStats.percentile(sorted, 50));
        assertEquals(90, LatencyStats.percentile(sorted, 90));
        assertEquals(100, LatencyStats.percentile(sorted, 99));
        assertEquals(10, LatencyStats.percentile(new long[] {10}, 50));
    }

    @Test
    void noLatenciesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(List.of(new LatencyLog())));
    }
}
