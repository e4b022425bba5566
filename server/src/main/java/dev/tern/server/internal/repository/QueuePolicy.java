package dev.tern.server.internal.repository;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Set;

/**
 * How the requests of one priority level wait, as Triton's {@code ModelQueuePolicy}: how many
 * may wait, how long, and what happens to one that waited too long.
 *
 * <pre>{@code
 * {"max_queue_size": 16, "timeout_action": "DELAY", "default_timeout_microseconds": 100000,
 *  "allow_timeout_override": true}
 * }</pre>
 *
 * @param timeoutAction what happens to a request whose queue timeout passes before it runs
 * @param defaultTimeoutMicros how long a request may wait; 0 for no limit
 * @param allowTimeoutOverride whether a request's {@code timeout} parameter may shorten (or, with no
 *     default, set) its queue timeout
 * @param maxQueueSize the most requests of this level that may wait, timed-out delayed ones included
 */
public record QueuePolicy(TimeoutAction timeoutAction, long defaultTimeoutMicros, boolean allowTimeoutOverride,
                          int maxQueueSize) {
    /** The queue size Tern bounds a level to when the configuration names none. */
    public static final int DEFAULT_MAX_QUEUE_SIZE = 1024;
    /** The policy of a level its configuration does not describe: 1024 requests, no timeout. */
    public static final QueuePolicy DEFAULT = new QueuePolicy(TimeoutAction.REJECT, 0, false, DEFAULT_MAX_QUEUE_SIZE);
    private static final Set<String> FIELDS = Set.of("max_queue_size", "timeout_action",
            "default_timeout_microseconds", "allow_timeout_override");

    /** What happens to a request whose queue timeout passes, as Triton's {@code TimeoutAction}. */
    public enum TimeoutAction {
        /** The request is answered with an error and never runs. */
        REJECT,
        /** The request stays queued behind every request of its level that has not timed out. */
        DELAY
    }

    /** A policy of {@code maxQueueSize} requests without timeouts. */
    public static QueuePolicy bounded(int maxQueueSize) {
        return new QueuePolicy(TimeoutAction.REJECT, 0, false, maxQueueSize);
    }

    /**
     * The queue timeout of a request that asked for {@code requestedMicros} (0 when it did not ask):
     * the default, or the request's own when overrides are allowed and it is shorter (Triton lets a
     * request shorten the timeout, never lengthen it). 0 for no timeout.
     */
    public long timeoutMicros(long requestedMicros) {
        if (!allowTimeoutOverride || requestedMicros <= 0) {
            return defaultTimeoutMicros;
        }
        return defaultTimeoutMicros == 0 ? requestedMicros : Math.min(requestedMicros, defaultTimeoutMicros);
    }

    /**
     * Reads the policy object at {@code where} in {@code file}.
     *
     * @throws IllegalArgumentException naming the file and field for an unknown field or a bad value
     */
    static QueuePolicy read(JsonNode node, String where, Path file) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + ": '" + where + "' must be an object, found " + node);
        }
        ModelConfig.requireKnownFields(node, FIELDS, file, where + ".");
        JsonNode action = node.get("timeout_action");
        TimeoutAction timeoutAction = TimeoutAction.REJECT;
        if (action != null) {
            if (!action.isTextual() || !Set.of("REJECT", "DELAY").contains(action.textValue())) {
                throw new IllegalArgumentException(file + ": '" + where + ".timeout_action' must be \"REJECT\" or"
                        + " \"DELAY\", found " + action);
            }
            timeoutAction = TimeoutAction.valueOf(action.textValue());
        }
        JsonNode override = node.get("allow_timeout_override");
        if (override != null && !override.isBoolean()) {
            throw new IllegalArgumentException(file + ": '" + where + ".allow_timeout_override' must be true or"
                    + " false, found " + override);
        }
        return new QueuePolicy(timeoutAction,
                ModelConfig.nonNegative(node, "default_timeout_microseconds", 0, Long.MAX_VALUE / 1000, file),
                override != null && override.booleanValue(), maxQueueSize(node, "max_queue_size", where, file));
    }

    /** A {@code max_queue_size} field of {@code node}: from 1, {@link #DEFAULT_MAX_QUEUE_SIZE} when absent. */
    static int maxQueueSize(JsonNode node, String field, String where, Path file) {
        long size = ModelConfig.nonNegative(node, field, DEFAULT_MAX_QUEUE_SIZE, Integer.MAX_VALUE, file);
        if (size == 0) {
            // Triton reads 0 as "no limit"; Tern bounds every queue, so that no client can exhaust the memory.
            throw new IllegalArgumentException(file + ": '" + where + "." + field + "' must be at least 1 (Tern"
                    + " bounds every queue; the default is " + DEFAULT_MAX_QUEUE_SIZE + "), found 0");
        }
        return (int) size;
    }
}
