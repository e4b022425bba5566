package dev.tern.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One point of the batching benchmark's grid: how many instances (sessions, each with its own
 * worker) a model version has, how many intra-op threads each session uses, and whether
 * requests are batched. Its {@link #configJson(String)} is the model's config.json.
 */
record ServingSetup(int instances, int threads, boolean batched) {
    /** The instance and thread counts tried: on a 2-core machine, 1 and 2 of each. */
    private static final int[] COUNTS = {1, 2};

    /** Every instance x thread combination, unbatched. */
    static List<ServingSetup> grid() {
        List<ServingSetup> setups = new ArrayList<>();
        for (int instances : COUNTS) {
            for (int threads : COUNTS) {
                setups.add(new ServingSetup(instances, threads, false));
            }
        }
        return setups;
    }

    /** "2 x 1" (instances x threads), with ", batched" for a batched setup. */
    String label() {
        return instances + " x " + threads + (batched ? ", batched" : "");
    }

    /** The same instances and threads, batched. */
    ServingSetup batching() {
        return new ServingSetup(instances, threads, true);
    }

    /**
     * The config.json serving this setup.
     *
     * @param batching the fields a batched setup adds ({@code "max_batch_size": ..., "dynamic_batching": {...}})
     */
    String configJson(String batching) {
        String sessions = String.format(Locale.ROOT, "\"instance_count\": %d, \"intra_op_threads\": %d",
                instances, threads);
        return "{" + sessions + (batched ? ", " + batching : "") + "}";
    }
}
