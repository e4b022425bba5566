package dev.tern.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One point of the batching benchmark's grid: how many instances (sessions, each with its own
 * worker) a model version has, how many intra-op threads each session uses and whether they
 * spin after their work (ONNX Runtime's default) or block at once, and whether requests are
 * batched. Its {@link #configJson(String)} is the model's config.json.
 */
record ServingSetup(int instances, int threads, boolean spinning, boolean batched) {
    /** The instance and thread counts tried: on a 2-core machine, 1 and 2 of each. */
    private static final int[] COUNTS = {1, 2};

    /**
     * Every instance x thread combination, unbatched; those with more than one thread also
     * without spinning (one thread has no pool to spin).
     */
    static List<ServingSetup> grid() {
        List<ServingSetup> setups = new ArrayList<>();
        for (int instances : COUNTS) {
            for (int threads : COUNTS) {
                setups.add(new ServingSetup(instances, threads, true, false));
                if (threads > 1) {
                    setups.add(new ServingSetup(instances, threads, false, false));
                }
            }
        }
        return setups;
    }

    /** "2 x 2" (instances x threads), with ", no spin" and ", batched" where they apply. */
    String label() {
        return instances + " x " + threads + (spinning ? "" : ", no spin") + (batched ? ", batched" : "");
    }

    /** The same instances and threads, batched. */
    ServingSetup batching() {
        return new ServingSetup(instances, threads, spinning, true);
    }

    /**
     * The config.json serving this setup.
     *
     * @param batching the fields a batched setup adds ({@code "max_batch_size": ..., "dynamic_batching": {...}})
     */
    String configJson(String batching) {
        // Said even where it is the server's default, which depends on the cores (see ModelConfig).
        String sessions = String.format(Locale.ROOT, "\"instance_count\": %d, \"intra_op_threads\": %d%s",
                instances, threads, threads > 1 ? ", \"intra_op_spinning\": " + spinning : "");
        return "{" + sessions + (batched ? ", " + batching : "") + "}";
    }
}
