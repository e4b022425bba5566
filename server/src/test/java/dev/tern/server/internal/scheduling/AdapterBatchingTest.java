package dev.tern.server.internal.scheduling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.Adapter;
import dev.tern.exec.AdapterFile;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.RunControl;
import dev.tern.exec.Runtime;
import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.LoraModels;
import dev.tern.server.internal.ServerMetrics;
import dev.tern.server.internal.TransportThreads;
import dev.tern.server.internal.repository.ModelConfig;
import dev.tern.server.internal.repository.ModelVersion;
import dev.tern.server.internal.statistics.VersionStatistics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic batching of requests for several LoRA adapters on a real model: while the one
 * instance is held busy, requests for adapters a, b, c and none queue up; once it is free, each
 * batch holds consecutive requests of one adapter only, and every request gets what the model
 * with its adapter merged in gives.
 */
@Timeout(60)
class AdapterBatchingTest {
    private static final ModelConfig.Batching NO_DELAY = new ModelConfig.Batching(0, Set.of(), 64);
    private static final float TOLERANCE = 1e-5f;

    @TempDir
    Path folder;

    private Runtime runtime;
    private ModelVersion model;
    private final Map<String, AdapterFile> files = new HashMap<>();
    private final Map<String, Adapter> adapters = new HashMap<>();
    private final CountDownLatch gate = new CountDownLatch(1);
    /** Submits as the server's transports do: never running a request itself, so that each one queues. */
    private final ExecutorService transport = Executors.newSingleThreadExecutor(TransportThreads.factory("test-io"));

    @BeforeEach
    void load() {
        runtime = Runtime.create();
        CompiledModel base = runtime.compile(LoraModels.base());
        model = new ModelVersion("mlp", 1, List.of(base), ModelConfig.defaults(), new ServerMetrics());
        int rank = 2;
        for (String name : List.of("a", "b", "c")) {
            AdapterFile file = LoraModels.adapter(rank, rank);
            Path path = folder.resolve(name + Adapter.ADAPTER_EXTENSION);
            file.write(path);
            files.put(name, file);
            adapters.put(name, runtime.loadAdapter(path));
            rank++;
        }
    }

    @AfterEach
    void unload() {
        gate.countDown();
        transport.shutdownNow();
        model.retire();
        runtime.close();
    }

    @Test
    void aBatchGathersOnlyRequestsForOneAdapterAndEachGetsItsAdaptersAnswer() throws Exception {
        CompiledModel base = runtime.compile(LoraModels.base());
        GatedRuns instance = new GatedRuns(base);
        List<String> order = Arrays.asList(null, "a", "a", "b", null, null, "c", "a");
        List<Integer> rows = List.of(1, 1, 2, 1, 1, 2, 1, 1);
        List<float[]> inputs = new ArrayList<>();
        List<CompletableFuture<Map<String, Tensor>>> answers = new ArrayList<>();
        try (base; RequestScheduler scheduler = new RequestScheduler(model, List.of(instance), NO_DELAY, 16,
                new ServerMetrics(), new VersionStatistics())) {
            for (int i = 0; i < order.size(); i++) {
                float[] x = LoraModels.input(rows.get(i), 20 + i);
                inputs.add(x);
                Tensor tensor = Tensor.ofFloats("x", new long[] {rows.get(i), LoraModels.IN}, x);
                Adapter adapter = adapterOf(order.get(i));
                int requestRows = rows.get(i);
                answers.add(transport.submit(() -> scheduler.submit(Map.of("x", tensor), requestRows, adapter,
                        Deadline.none(), System.nanoTime(), QueuePlacement.UNPRIORITIZED)).get(30, TimeUnit.SECONDS));
                if (i == 0) {
                    // The only instance now holds the first request, so the others queue behind it.
                    assertTrue(instance.running.await(30, TimeUnit.SECONDS));
                }
            }
            gate.countDown();

            for (int i = 0; i < answers.size(); i++) {
                float[] logits = answers.get(i).get(30, TimeUnit.SECONDS).get("logits").toFloatArray();
                String adapter = order.get(i);
                assertArrayEquals(LoraModels.mergedLogits(runtime, adapter == null ? null : files.get(adapter),
                        inputs.get(i)), logits, TOLERANCE, "request " + i + ", adapter " + adapter);
            }
        }
        assertEquals(List.of("none x1", "a x3", "b x1", "none x3", "c x1", "a x1"), instance.runs);
    }

    private Adapter adapterOf(String name) {
        return name == null ? null : adapters.get(name);
    }

    /**
     * Runs a real compiled model, holding its first run until the gate opens; records each run's
     * adapter and rows as "a x3" ("none" without an adapter).
     */
    private final class GatedRuns implements ModelInstance {
        final CountDownLatch running = new CountDownLatch(1);
        final List<String> runs = new CopyOnWriteArrayList<>();
        private final CompiledModel compiled;

        GatedRuns(CompiledModel compiled) {
            this.compiled = compiled;
        }

        @Override
        public Map<String, Tensor> run(Map<String, Tensor> inputs, RunControl control) {
            runs.add(control.adapter().map(Adapter::name).orElse("none") + " x" + inputs.get("x").dims()[0]);
            running.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held", e);
            }
            return compiled.run(inputs, control);
        }
    }
}
