package dev.tern.server.internal.scheduling;

/**
 * Where a request waits in its model's queue: its priority level (1 is the highest) and how long
 * it may wait before its level's {@code timeout_action} applies.
 *
 * @param level the priority level, from 1 to the model's number of levels
 * @param timeoutMicros the queue timeout in microseconds; 0 for none
 */
public record QueuePlacement(int level, long timeoutMicros) {
    /** The only level of a model without priorities, with no queue timeout. */
    public static final QueuePlacement UNPRIORITIZED = new QueuePlacement(1, 0);

    public QueuePlacement {
        if (level < 1 || timeoutMicros < 0) {
            throw new IllegalArgumentException("a queue placement needs a level >= 1 and a timeout >= 0, found level "
                    + level + " and timeout " + timeoutMicros + " us");
        }
    }
}
