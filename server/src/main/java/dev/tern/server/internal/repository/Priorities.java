package dev.tern.server.internal.repository;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's priority levels and the queue policy of each, as Triton's dynamic batching sets
 * them: levels 1 (highest, batched first) to {@code levels}, the level of a request that names
 * none, and a policy per level (the default policy for a level not named).
 *
 * <pre>{@code
 * "dynamic_batching": {
 *   "priority_levels": 2, "default_priority_level": 2,
 *   "default_queue_policy": {"max_queue_size": 64},
 *   "priority_queue_policy": {"1": {"max_queue_size": 8, "timeout_action": "REJECT",
 *                                   "default_timeout_microseconds": 50000}}
 * }
 * }</pre>
 *
 * @param levels the number of levels; 1 for a model whose configuration sets no {@code priority_levels}
 * @param prioritized whether the configuration sets {@code priority_levels}, so that requests may name a level
 * @param defaultLevel the level of a request without a {@code priority} parameter, or with 0
 * @param defaultPolicy the policy of every level {@code levelPolicies} does not name
 * @param levelPolicies the policies of the levels named in {@code priority_queue_policy}
 */
public record Priorities(int levels, boolean prioritized, int defaultLevel, QueuePolicy defaultPolicy,
                         Map<Integer, QueuePolicy> levelPolicies) {
    public Priorities {
        levelPolicies = Map.copyOf(levelPolicies);
    }

    /** One level whose requests wait under {@code policy}. */
    public static Priorities single(QueuePolicy policy) {
        return new Priorities(1, false, 1, policy, Map.of());
    }

    /** The policy requests of {@code level} (from 1 to {@link #levels()}) wait under. */
    public QueuePolicy policy(int level) {
        return levelPolicies.getOrDefault(level, defaultPolicy);
    }

    /**
     * Reads the priority and queue policy fields of a {@code dynamic_batching} object. Tern's older
     * {@code dynamic_batching.max_queue_size} still sets the default policy's queue size.
     *
     * @throws IllegalArgumentException naming the file and field for a level out of range or a bad policy
     */
    static Priorities read(JsonNode batching, Path file) {
        long levels = ModelConfig.nonNegative(batching, "priority_levels", 0, Integer.MAX_VALUE, file);
        long defaultLevel = ModelConfig.nonNegative(batching, "default_priority_level", 0, Integer.MAX_VALUE, file);
        if (levels == 0 && (defaultLevel != 0 || batching.has("priority_queue_policy"))) {
            throw new IllegalArgumentException(file + ": 'dynamic_batching.default_priority_level' and"
                    + " 'priority_queue_policy' need 'priority_levels' > 0");
        }
        if (levels > 0 && (defaultLevel < 1 || defaultLevel > levels)) {
            throw new IllegalArgumentException(file + ": 'dynamic_batching.default_priority_level' must be from 1"
                    + " to priority_levels " + levels + ", found " + defaultLevel);
        }
        QueuePolicy defaultPolicy = defaultPolicy(batching, file);
        Map<Integer, QueuePolicy> levelPolicies = new TreeMap<>();
        JsonNode perLevel = batching.get("priority_queue_policy");
        if (perLevel != null) {
            if (!perLevel.isObject()) {
                throw new IllegalArgumentException(file + ": 'dynamic_batching.priority_queue_policy' must be an"
                        + " object from level to policy, found " + perLevel);
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = perLevel.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                int level = level(field.getKey(), levels, file);
                levelPolicies.put(level, QueuePolicy.read(field.getValue(),
                        "dynamic_batching.priority_queue_policy." + level, file));
            }
        }
        return levels == 0 ? single(defaultPolicy)
                : new Priorities((int) levels, true, (int) defaultLevel, defaultPolicy, levelPolicies);
    }

    private static QueuePolicy defaultPolicy(JsonNode batching, Path file) {
        JsonNode policy = batching.get("default_queue_policy");
        if (policy == null) {
            return QueuePolicy.bounded(QueuePolicy.maxQueueSize(batching, "max_queue_size", "dynamic_batching",
                    file));
        }
        if (batching.has("max_queue_size")) {
            throw new IllegalArgumentException(file + ": 'dynamic_batching.max_queue_size' and"
                    + " 'dynamic_batching.default_queue_policy' both set the queue size; keep"
                    + " 'default_queue_policy.max_queue_size'");
        }
        return QueuePolicy.read(policy, "dynamic_batching.default_queue_policy", file);
    }

    private static int level(String key, long levels, Path file) {
        if (!key.matches("[0-9]{1,10}") || Long.parseLong(key) < 1 || Long.parseLong(key) > levels) {
            throw new IllegalArgumentException(file + ": 'dynamic_batching.priority_queue_policy' keys are priority"
                    + " levels from 1 to priority_levels " + levels + ", found '" + key + "'");
        }
        return Integer.parseInt(key);
    }
}
