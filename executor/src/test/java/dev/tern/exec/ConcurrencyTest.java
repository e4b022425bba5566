package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One compiled model serves many threads at once, each getting its own right answer. */
class ConcurrencyTest {
    private static final int THREADS = 16;
    private static final int RUNS_PER_THREAD = 200;

    @RegisterExtension
    final OpenModels models = new OpenModels();

    @Test
    void sixteenThreadsGetTheirOwnResults() throws Exception {
        TestModels.Mlp mlp = TestModels.mlp();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (CompiledModel model = models.runtime().compile(mlp.model())) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> checked = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                checked.add(pool.submit(() -> {
                    start.await();
                    Random random = new Random(thread);
                    for (int run = 0; run < RUNS_PER_THREAD; run++) {
                        // Batch sizes differ between threads and runs, so mixed-up outputs cannot match.
                        int batch = 1 + random.nextInt(8);
                        float[] x = TestModels.randoms(random, batch * TestModels.IN);
                        Tensor y = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {batch, TestModels.IN}, x)))
                                .get("y");
                        assertArrayEquals(mlp.reference(x, batch), y.toFloatArray(), 1e-4f,
                                "thread " + thread + " run " + run);
                    }
                    return RUNS_PER_THREAD;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> future : checked) {
                total += future.get(5, TimeUnit.MINUTES);
            }
            assertEquals(THREADS * RUNS_PER_THREAD, total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeWaitsForRunsInProgress() throws Exception {
        CompiledModel model = models.runtime().compile(TestModels.slowChain(100));
        Tensor x = Tensor.ofFloats("x", new long[] {256, 512}, new float[256 * 512]);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Map<String, Tensor>> running = pool.submit(() -> model.run(Map.of("x", x)));
            Thread.sleep(50);
            model.close();
            assertArrayEquals(new long[] {256, 512}, running.get(1, TimeUnit.MINUTES).get("y").dims());
        } finally {
            pool.shutdownNow();
        }
    }
}
