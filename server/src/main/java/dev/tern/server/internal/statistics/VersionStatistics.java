package dev.tern.server.internal.statistics;

import dev.tern.server.proto.InferBatchStatistics;
import dev.tern.server.proto.InferStatistics;
import dev.tern.server.proto.ModelStatistics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cumulative statistics of one model version in Triton's terms ({@code InferStatistics}):
 * per request, successes (answers from the response cache included) and failures with their
 * time from arrival to answer, response cache hits and misses, the time queued, and the times of
 * the run that served it (preparing inputs, running, extracting outputs); per
 * model run, its batch size and times; inferences (rows) and runs. Recording takes no lock
 * (adders and a max accumulator; a map lookup per run for its batch size), so it stays off the
 * request path's costs. Reads are sums of concurrent counters, each exact once traffic stops.
 */
public final class VersionStatistics {
    private final DurationCounter success = new DurationCounter();
    private final DurationCounter failure = new DurationCounter();
    private final DurationCounter queue = new DurationCounter();
    private final DurationCounter computeInput = new DurationCounter();
    private final DurationCounter computeInfer = new DurationCounter();
    private final DurationCounter computeOutput = new DurationCounter();
    private final DurationCounter cacheHit = new DurationCounter();
    private final DurationCounter cacheMiss = new DurationCounter();
    private final LongAdder inferences = new LongAdder();
    private final LongAdder executions = new LongAdder();
    private final LongAccumulator lastInferenceMillis = new LongAccumulator(Math::max, 0);
    private final Map<Long, BatchSizeStatistics> batches = new ConcurrentHashMap<>();

    /** Records one request's wait from its arrival to the start of its run. */
    public void queued(long nanos) {
        queue.add(1, nanos);
    }

    /**
     * Records one successful model run that served {@code requests} requests holding {@code rows}
     * inferences in all (a request to a model that does not batch is one), with the times spent
     * joining inputs, running and splitting outputs; each request is charged the run's times, as
     * Triton charges every request of a batch.
     */
    public void ran(int requests, long rows, long inputNanos, long inferNanos, long outputNanos) {
        computeInput.add(requests, requests * inputNanos);
        computeInfer.add(requests, requests * inferNanos);
        computeOutput.add(requests, requests * outputNanos);
        inferences.add(rows);
        executions.increment();
        batches.computeIfAbsent(rows, size -> new BatchSizeStatistics()).add(inputNanos, inferNanos, outputNanos);
    }

    /** Records one request answered successfully {@code nanos} after it arrived, at {@code nowMillis}. */
    public void succeeded(long nanos, long nowMillis) {
        success.add(1, nanos);
        lastInferenceMillis.accumulate(nowMillis);
    }

    /** Records one request answered from the response cache, whose lookup took {@code nanos}. */
    public void cacheHit(long nanos) {
        cacheHit.add(1, nanos);
    }

    /** Records one request the response cache did not hold, whose lookup took {@code nanos}. */
    public void cacheMiss(long nanos) {
        cacheMiss.add(1, nanos);
    }

    /** Adds the time of keeping a missed request's answer to the misses' duration, as Triton counts it. */
    public void cacheInserted(long nanos) {
        cacheMiss.add(0, nanos);
    }

    /** Records one request that reached this version and failed {@code nanos} after it arrived. */
    public void failed(long nanos) {
        failure.add(1, nanos);
    }

    /** Requests answered successfully. */
    public long successes() {
        return success.count();
    }

    /** Requests that failed after reaching this version. */
    public long failures() {
        return failure.count();
    }

    /** Successful inferences: a batched request counts its rows. */
    public long inferences() {
        return inferences.sum();
    }

    /** Successful model runs. */
    public long executions() {
        return executions.sum();
    }

    /** The time of every answered request, successful or not, from arrival to answer. */
    public long requestNanos() {
        return success.nanos() + failure.nanos();
    }

    /** The time requests waited before their runs. */
    public long queueNanos() {
        return queue.nanos();
    }

    /** The time of the model runs, charged to each request they served. */
    public long computeInferNanos() {
        return computeInfer.nanos();
    }

    /** Requests answered from the response cache. */
    public long cacheHits() {
        return cacheHit.count();
    }

    /** Requests the response cache did not hold. */
    public long cacheMisses() {
        return cacheMiss.count();
    }

    /** The time of the cache hits' lookups. */
    public long cacheHitNanos() {
        return cacheHit.nanos();
    }

    /** The time of the cache misses' lookups and insertions. */
    public long cacheMissNanos() {
        return cacheMiss.nanos();
    }

    /** The statistics as Triton's {@code ModelStatistics} message for {@code name} and {@code version}. */
    public ModelStatistics toMessage(String name, long version) {
        ModelStatistics.Builder message = ModelStatistics.newBuilder()
                .setName(name)
                .setVersion(Long.toString(version))
                .setLastInference(lastInferenceMillis.get())
                .setInferenceCount(inferences())
                .setExecutionCount(executions())
                .setInferenceStats(InferStatistics.newBuilder()
                        .setSuccess(success.toMessage())
                        .setFail(failure.toMessage())
                        .setQueue(queue.toMessage())
                        .setComputeInput(computeInput.toMessage())
                        .setComputeInfer(computeInfer.toMessage())
                        .setComputeOutput(computeOutput.toMessage())
                        .setCacheHit(cacheHit.toMessage())
                        .setCacheMiss(cacheMiss.toMessage()));
        batches.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
                message.addBatchStats(entry.getValue().toMessage(entry.getKey())));
        return message.build();
    }

    /** The runs of one batch size. */
    private static final class BatchSizeStatistics {
        private final DurationCounter input = new DurationCounter();
        private final DurationCounter infer = new DurationCounter();
        private final DurationCounter output = new DurationCounter();

        void add(long inputNanos, long inferNanos, long outputNanos) {
            input.add(1, inputNanos);
            infer.add(1, inferNanos);
            output.add(1, outputNanos);
        }

        InferBatchStatistics toMessage(long batchSize) {
            return InferBatchStatistics.newBuilder()
                    .setBatchSize(batchSize)
                    .setComputeInput(input.toMessage())
                    .setComputeInfer(infer.toMessage())
                    .setComputeOutput(output.toMessage())
                    .build();
        }
    }
}
