package dev.tern.server.internal.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.server.proto.InferBatchStatistics;
import dev.tern.server.proto.ModelStatistics;
import org.junit.jupiter.api.Test;

/** How runs and answers add up, as Triton counts them. */
class VersionStatisticsTest {
    @Test
    void everyRequestOfABatchIsChargedTheRunsTimes() {
        VersionStatistics statistics = new VersionStatistics();

        statistics.ran(3, 6, 10, 200, 30);
        statistics.ran(1, 2, 5, 100, 7);

        ModelStatistics message = statistics.toMessage("m", 4);
        assertEquals(4, message.getInferenceStats().getComputeInfer().getCount());
        assertEquals(3 * 200 + 100, message.getInferenceStats().getComputeInfer().getNs());
        assertEquals(3 * 10 + 5, message.getInferenceStats().getComputeInput().getNs());
        assertEquals(3 * 30 + 7, message.getInferenceStats().getComputeOutput().getNs());
        assertEquals(8, message.getInferenceCount());
        assertEquals(2, message.getExecutionCount());
        InferBatchStatistics two = message.getBatchStats(0);
        InferBatchStatistics six = message.getBatchStats(1);
        assertEquals(2, two.getBatchSize());
        assertEquals(6, six.getBatchSize());
        assertEquals(1, six.getComputeInfer().getCount());
        assertEquals(200, six.getComputeInfer().getNs());
        assertEquals("4", message.getVersion());
    }

    @Test
    void lastInferenceIsTheLatestSuccessWhateverTheOrder() {
        VersionStatistics statistics = new VersionStatistics();

        statistics.succeeded(1_000, 5_000);
        statistics.succeeded(2_000, 4_000);
        statistics.failed(3_000);

        ModelStatistics message = statistics.toMessage("m", 1);
        assertEquals(5_000, message.getLastInference());
        assertEquals(2, message.getInferenceStats().getSuccess().getCount());
        assertEquals(3_000, message.getInferenceStats().getSuccess().getNs());
        assertEquals(1, message.getInferenceStats().getFail().getCount());
        assertEquals(6_000, statistics.requestNanos());
    }
}
