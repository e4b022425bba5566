package dev.tern.bench;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Tern's executor running the digits MLP with batch sizes that change from one run to the next,
 * as a server's dynamic batches do, beside the same sizes kept for many runs
 * (tools/bench.sh varying-batch): the cost of a change of input shapes, which decides whether
 * the outputs ONNX Runtime writes into are kept. One intra-op thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class VaryingBatchBenchmark {
    /** The batch sizes taken in turn, one per run: "4" stays, "3,4" alternates, "1-16" cycles through sixteen. */
    @Param({"4", "3,4", "1-16"})
    public String sizes;

    private Runtime runtime;
    private CompiledModel model;
    private List<Map<String, Tensor>> batches;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        runtime = Runtime.create();
        batches = new ArrayList<>();
        for (int rows : batchSizes(sizes)) {
            BenchCase bench = BenchCase.load("mlp/" + rows, Files.createTempDirectory("tern-varying-batch"));
            if (model == null) {
                model = runtime.compile(bench.model(), SessionConfig.builder().intraOpThreads(1).build());
            }
            batches.add(bench.ternInputs());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        runtime.close();
    }

    /** One run, of the next batch size in turn. */
    @Benchmark
    public void run(Blackhole sink) {
        Map<String, Tensor> inputs = batches.get(next);
        next = (next + 1) % batches.size();
        sink.consume(model.run(inputs));
    }

    private static List<Integer> batchSizes(String sizes) {
        List<Integer> batchSizes = new ArrayList<>();
        if (sizes.contains("-")) {
            String[] range = sizes.split("-");
            for (int rows = Integer.parseInt(range[0]); rows <= Integer.parseInt(range[1]); rows++) {
                batchSizes.add(rows);
            }
        } else {
            for (String rows : sizes.split(",")) {
                batchSizes.add(Integer.parseInt(rows));
            }
        }
        return batchSizes;
    }
}
