package dev.tern.server.internal;

import dev.tern.server.Deadline;
import dev.tern.server.Status;
import dev.tern.server.internal.repository.ModelVersion;
import dev.tern.server.internal.repository.Priorities;
import dev.tern.server.internal.repository.QueuePolicy;
import dev.tern.server.internal.scheduling.QueuePlacement;
import dev.tern.server.proto.InferParameter;
import dev.tern.server.proto.ModelInferRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A request's {@code priority} and {@code timeout} parameters (v2 {@code parameters}, in
 * microseconds for the timeout, as Triton's clients send them) read against its model's priority
 * levels and queue policies. {@code priority} 0 or absent is the model's default level. Where the
 * level's policy has {@code allow_timeout_override}, {@code timeout} is the request's queue
 * timeout (never longer than the policy's default); otherwise it shortens the request's deadline,
 * as for every model.
 *
 * @param placement the level the request waits at and its queue timeout
 * @param deadline the transport's deadline, shortened by {@code timeout} unless it is the queue timeout
 */
record QueueParameters(QueuePlacement placement, Deadline deadline) {
    static final String PRIORITY = "priority";
    static final String TIMEOUT = "timeout";

    /**
     * Reads {@code request}'s parameters for {@code model}.
     *
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT naming the model and parameter for a
     *     priority the model has no level for, or a timeout that is not a positive integer
     */
    static QueueParameters of(ModelInferRequest request, ModelVersion model, Deadline transportDeadline) {
        Priorities priorities = model.config().queueing().priorities();
        int level = level(request, model, priorities);
        QueuePolicy policy = priorities.policy(level);
        long timeout = timeoutMicros(request, model);
        if (policy.allowTimeoutOverride()) {
            return new QueueParameters(new QueuePlacement(level, policy.timeoutMicros(timeout)), transportDeadline);
        }
        Deadline deadline = timeout == 0 ? transportDeadline
                : transportDeadline.earlier(Deadline.after(Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(timeout))));
        return new QueueParameters(new QueuePlacement(level, policy.defaultTimeoutMicros()), deadline);
    }

    private static int level(ModelInferRequest request, ModelVersion model, Priorities priorities) {
        InferParameter parameter = request.getParametersMap().get(PRIORITY);
        if (parameter == null) {
            return priorities.defaultLevel();
        }
        long priority = switch (parameter.getParameterChoiceCase()) {
            case INT64_PARAM -> parameter.getInt64Param();
            case UINT64_PARAM -> parameter.getUint64Param();
            default -> throw Status.invalidArgument(model.describe() + ": parameter '" + PRIORITY + "' must be an"
                    + " integer, found " + parameter).asException();
        };
        if (priority == 0) {
            return priorities.defaultLevel();
        }
        if (!priorities.prioritized()) {
            throw Status.invalidArgument(model.describe() + " has no priority levels (dynamic_batching"
                    + ".priority_levels), so parameter '" + PRIORITY + "' must be 0 or absent, found "
                    + Long.toUnsignedString(priority)).asException();
        }
        if (priority < 0 || priority > priorities.levels()) {
            throw Status.invalidArgument(model.describe() + ": parameter '" + PRIORITY + "' must be from 1 (highest)"
                    + " to priority_levels " + priorities.levels() + ", or 0 for the default level "
                    + priorities.defaultLevel() + ", found " + Long.toUnsignedString(priority)).asException();
        }
        return (int) priority;
    }

    /** The {@code timeout} parameter in microseconds; 0 when absent. */
    private static long timeoutMicros(ModelInferRequest request, ModelVersion model) {
        InferParameter timeout = request.getParametersMap().get(TIMEOUT);
        if (timeout == null) {
            return 0;
        }
        if (timeout.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.INT64_PARAM
                || timeout.getInt64Param() <= 0) {
            throw Status.invalidArgument(model.describe() + ": parameter '" + TIMEOUT + "' must be an integer number"
                    + " of microseconds > 0, found " + timeout).asException();
        }
        return timeout.getInt64Param();
    }
}
