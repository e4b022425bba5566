package dev.tern.cli.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import java.util.Arrays;
import java.util.Map;

/**
 * A short timed run of two models on the same inputs, alternating one run of each so that
 * whatever else the machine does slows both alike; reports each model's median latency. A
 * quick before-and-after comparison, not a benchmark: {@code tern bench} measures one model
 * properly.
 */
final class PairedTiming {
    private static final int WARMUP_RUNS = 20;

    private PairedTiming() {
    }

    /**
     * Median latencies in milliseconds of {@code first} and {@code second}, measured for about
     * {@code seconds} in all on random inputs of batch size {@code batch} (where the first
     * dimension of the inputs is symbolic), the same for both.
     */
    static double[] medianMillis(Runtime runtime, Model first, Model second, int batch, SessionConfig config,
                                 double seconds) {
        try (CompiledModel a = runtime.compile(first, config); CompiledModel b = runtime.compile(second, config)) {
            Map<String, Tensor> inputs = RunInputs.generateAll(a.inputs(), sizes(a, batch),
                    new RandomTensors(RunCommand.DEFAULT_SEED));
            for (int i = 0; i < WARMUP_RUNS; i++) {
                a.run(inputs);
                b.run(inputs);
            }
            long[] timesA = new long[256];
            long[] timesB = new long[256];
            int runs = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (runs < 3 || System.nanoTime() < end) {
                if (runs == timesA.length) {
                    timesA = Arrays.copyOf(timesA, 2 * runs);
                    timesB = Arrays.copyOf(timesB, 2 * runs);
                }
                timesA[runs] = timed(a, inputs);
                timesB[runs] = timed(b, inputs);
                runs++;
            }
            return new double[] {median(timesA, runs) / 1e6, median(timesB, runs) / 1e6};
        }
    }

    private static DimensionSizes sizes(CompiledModel model, int batch) {
        boolean batched = model.inputs().stream().anyMatch(input -> input.type() instanceof ValueType.TensorType tensor
                && tensor.shape().isRankKnown() && tensor.shape().rank() > 0
                && tensor.shape().dim(0) instanceof Dim.Symbolic);
        return batched ? DimensionSizes.withBatch(Map.of(), batch, model.inputs()) : DimensionSizes.of(Map.of(), model.inputs());
    }

    private static long timed(CompiledModel model, Map<String, Tensor> inputs) {
        long start = System.nanoTime();
        model.run(inputs);
        return System.nanoTime() - start;
    }

    private static double median(long[] times, int count) {
        long[] sorted = Arrays.copyOf(times, count);
        Arrays.sort(sorted);
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2.0;
    }
}
