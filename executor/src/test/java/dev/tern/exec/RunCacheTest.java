package dev.tern.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

/**
 * {@link CompiledModel#run(Map)} keeps input wrappers and preallocated outputs between runs;
 * nothing a caller can observe may change because of it.
 */
class RunCacheTest {
    private static final TestModels.Mlp MLP = TestModels.mlp();

    @RegisterExtension
    final OpenModels models = new OpenModels();

    private static Tensor input(float[] x, int batch) {
        return Tensor.ofFloats("x", new long[] {batch, TestModels.IN}, x);
    }

    private static void assertRuns(CompiledModel model, Tensor x, float[] values, int batch) {
        Map<String, Tensor> out = model.run(Map.of("x", x));
        assertArrayEquals(MLP.reference(values, batch), out.get("y").toFloatArray(), 1e-4f);
        assertArrayEquals(new long[] {batch, TestModels.OUT}, out.get("y").dims());
    }

    @Test
    void eachRunAnswersForTheTensorPassedNow() {
        Random random = new Random(3);
        float[] a = TestModels.randoms(random, TestModels.IN);
        float[] b = TestModels.randoms(random, TestModels.IN);
        float[] wide = TestModels.randoms(random, 5 * TestModels.IN);
        Tensor ta = input(a, 1);
        Tensor tb = input(b, 1);
        Tensor tWide = input(wide, 5);
        try (CompiledModel model = models.runtime().compile(MLP.model())) {
            // Same tensor again (outputs pinned from the second run on), another tensor of the
            // same shape, another shape, and back: every answer is for the tensor of that call.
            for (int round = 0; round < 3; round++) {
                assertRuns(model, ta, a, 1);
                assertRuns(model, ta, a, 1);
                assertRuns(model, tb, b, 1);
                assertRuns(model, ta, a, 1);
                assertRuns(model, tWide, wide, 5);
                assertRuns(model, tWide, wide, 5);
                assertRuns(model, tb, b, 1);
            }
        }
    }

    @Test
    void batchSizesVaryingFromRunToRunAreAnsweredRightAndNeverOverwritten() {
        Random random = new Random(5);
        try (CompiledModel model = models.runtime().compile(MLP.model())) {
            List<float[]> inputs = new ArrayList<>();
            List<Tensor> outputs = new ArrayList<>();
            // More batch sizes than the kept output sets, each seen several times in a shuffled order.
            for (int run = 0; run < 400; run++) {
                int batch = 1 + random.nextInt(48);
                float[] x = TestModels.randoms(random, batch * TestModels.IN);
                inputs.add(x);
                outputs.add(model.run(Map.of("x", input(x, batch))).get("y"));
            }
            for (int run = 0; run < outputs.size(); run++) {
                int batch = inputs.get(run).length / TestModels.IN;
                assertArrayEquals(MLP.reference(inputs.get(run), batch), outputs.get(run).toFloatArray(), 1e-4f,
                        "output of run " + run + " (batch " + batch + ")");
            }
        }
    }

    @Test
    void returnedTensorsAreNeverOverwrittenByLaterRuns() {
        Random random = new Random(4);
        try (CompiledModel model = models.runtime().compile(MLP.model())) {
            List<float[]> inputs = new ArrayList<>();
            List<Tensor> outputs = new ArrayList<>();
            for (int run = 0; run < 200; run++) {
                float[] x = TestModels.randoms(random, TestModels.IN);
                inputs.add(x);
                outputs.add(model.run(Map.of("x", input(x, 1))).get("y"));
            }
            for (int run = 0; run < outputs.size(); run++) {
                assertArrayEquals(MLP.reference(inputs.get(run), 1), outputs.get(run).toFloatArray(), 1e-4f,
                        "output of run " + run);
                assertTrue(outputs.get(run).data().isDirect(), "outputs sit in direct buffers");
            }
            assertNotSame(outputs.get(0).data(), outputs.get(1).data());
        }
    }

    @Test
    void changesToAnInputBufferAreSeenByTheNextRun() {
        Random random = new Random(5);
        float[] first = TestModels.randoms(random, TestModels.IN);
        float[] second = TestModels.randoms(random, TestModels.IN);
        for (boolean direct : new boolean[] {true, false}) {
            ByteBuffer buffer = (direct ? ByteBuffer.allocateDirect(TestModels.IN * 4) : ByteBuffer.allocate(TestModels.IN * 4))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(first);
            // A tensor over the caller's own buffer, which the caller then rewrites.
            Tensor x = Tensor.of("x", ElementType.FLOAT, new long[] {1, TestModels.IN}, buffer);
            try (CompiledModel model = models.runtime().compile(MLP.model())) {
                assertRuns(model, x, first, 1);
                assertRuns(model, x, first, 1);
                buffer.asFloatBuffer().put(second);
                assertRuns(model, x, second, 1);
                assertRuns(model, x, second, 1);
            }
        }
    }

    @Test
    void outputsWhoseShapeDependsOnTheDataStayRight() {
        GraphBuilder g = GraphBuilder.create("nonzero");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(6));
        g.output(g.op("NonZero", x), "indices");
        Model nonZero = g.toModel(21);
        try (CompiledModel model = models.runtime().compile(nonZero)) {
            float[][] inputs = {{1, 0, 2, 0, 0, 3}, {1, 0, 2, 0, 0, 3}, {0, 4, 0, 5, 6, 7}, {0, 0, 0, 0, 0, 8},
                {0, 0, 0, 0, 0, 8}, {9, 9, 9, 9, 9, 9}};
            for (float[] values : inputs) {
                Tensor out = model.run(Map.of("x", Tensor.ofFloats("x", new long[] {6}, values))).get("indices");
                List<Long> expected = new ArrayList<>();
                for (int i = 0; i < values.length; i++) {
                    if (values[i] != 0) {
                        expected.add((long) i);
                    }
                }
                assertArrayEquals(new long[] {1, expected.size()}, out.dims());
                assertArrayEquals(expected.stream().mapToLong(Long::longValue).toArray(), out.toLongArray());
            }
        }
    }

    @Test
    void threadsReusingTheirOwnAndSharedTensorsGetTheirOwnResults() throws Exception {
        int threads = 16;
        int runs = 300;
        Random shared = new Random(6);
        float[] sharedValues = TestModels.randoms(shared, 2 * TestModels.IN);
        Tensor sharedTensor = input(sharedValues, 2);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (CompiledModel model = models.runtime().compile(MLP.model())) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(100 + thread);
                    int batch = 1 + thread % 4;
                    float[][] own = {TestModels.randoms(random, batch * TestModels.IN),
                        TestModels.randoms(random, batch * TestModels.IN)};
                    Tensor[] ownTensors = {input(own[0], batch), input(own[1], batch)};
                    start.await();
                    for (int run = 0; run < runs; run++) {
                        int pick = random.nextInt(3);
                        if (pick == 2) {
                            assertRuns(model, sharedTensor, sharedValues, 2);
                        } else {
                            assertRuns(model, ownTensors[pick], own[pick], batch);
                        }
                    }
                    return runs;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> future : done) {
                total += future.get(5, TimeUnit.MINUTES);
            }
            assertEquals(threads * runs, total);
        } finally {
            pool.shutdownNow();
        }
    }
}
