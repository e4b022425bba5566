package dev.tern.bench;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Tensor;
import dev.tern.train.models.ModelTemplates;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;

/**
 * The long memory check: runs the 64-128-10 MLP (batch 1) through {@link CompiledModel#run},
 * the call the README shows, a million times by default, and prints used heap (after GC) and
 * resident memory every tenth of the way. Neither may grow once warm. The 50,000-run version
 * is a test in the executor module.
 *
 * <pre>java -Xms256m -Xmx256m -cp tools/target/tern.jar dev.tern.bench.RunMemoryCheck [RUNS]</pre>
 */
public final class RunMemoryCheck {
    private static final double MIB = 1024.0 * 1024.0;

    private RunMemoryCheck() {
    }

    public static void main(String[] args) throws IOException {
        long runs = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        long checkpoint = Math.max(1, runs / 10);
        BenchCase mlp = BenchCase.load("mlp/1", Files.createTempDirectory("tern-memory-check"));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (Runtime runtime = Runtime.create();
             CompiledModel model = runtime.compile(mlp.model(), SessionConfig.builder().intraOpThreads(1).build())) {
            Map<String, Tensor> inputs = mlp.ternInputs();
            double checksum = 0;
            System.out.printf(Locale.ROOT, "%10s %14s %14s%n", "runs", "heap used MiB", "resident MiB");
            for (long run = 1; run <= runs; run++) {
                checksum += model.run(inputs).get(ModelTemplates.LOGITS).data().getFloat(0);
                if (run % checkpoint == 0) {
                    System.gc();
                    System.out.printf(Locale.ROOT, "%10d %14.1f %14.1f%n", run,
                            memory.getHeapMemoryUsage().getUsed() / MIB, ProcMemory.read().rssMiB());
                }
            }
            System.out.printf(Locale.ROOT, "checksum %.3f%n", checksum);
        }
    }
}
