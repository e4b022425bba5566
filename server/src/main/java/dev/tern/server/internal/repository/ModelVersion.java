package dev.tern.server.internal.repository;

import dev.tern.exec.CompiledModel;
import dev.tern.server.internal.ServerMetrics;
import dev.tern.server.internal.statistics.VersionStatistics;
import dev.tern.server.internal.Signature;
import dev.tern.server.internal.scheduling.ModelInstance;
import dev.tern.server.internal.scheduling.RequestScheduler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded version of a model: its compiled instances (sessions of the same model), the
 * {@link RequestScheduler} whose workers run requests on them, one worker per instance, its
 * signature in protocol terms as the configuration refines it, and a count of the requests
 * using it. A version replaced by a reload or unloaded is retired: it takes no new requests and
 * closes its instances when the last one in flight is done, so a reload under traffic loses no
 * request.
 */
public final class ModelVersion {
    private final String name;
    private final long version;
    private final List<CompiledModel> instances;
    private final List<Signature> inputs;
    private final List<Signature> outputs;
    private final ModelConfig config;
    private final RequestScheduler scheduler;
    private final VersionStatistics statistics = new VersionStatistics();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Runnable> retireActions = new CopyOnWriteArrayList<>();
    private volatile boolean retired;

    /**
     * Takes ownership of {@code instances}, compiled from one file, once this returns; starts
     * their workers, recording into {@code metrics}.
     *
     * @throws IllegalArgumentException naming the config field when the config's input or output
     *     overrides contradict the model (the caller still owns the instances then)
     */
    public ModelVersion(String name, long version, List<CompiledModel> instances, ModelConfig config,
                        ServerMetrics metrics) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException(name + " version " + version + " needs at least one instance");
        }
        CompiledModel first = instances.get(0);
        this.inputs = TensorOverride.applyAll(config.inputs(), Signature.ofAll(first.inputs()), "input",
                config.maxBatchSize());
        this.outputs = TensorOverride.applyAll(config.outputs(), Signature.ofAll(first.outputs()), "output",
                config.maxBatchSize());
        this.name = name;
        this.version = version;
        this.instances = List.copyOf(instances);
        this.config = config;
        this.scheduler = new RequestScheduler(this, schedulerInstances(), config.queueing(), config.maxBatchRows(),
                metrics, statistics);
    }

    /** This version's cumulative inference statistics, recorded by its scheduler and the service. */
    public VersionStatistics statistics() {
        return statistics;
    }

    public String name() {
        return name;
    }

    public long version() {
        return version;
    }

    /** "model 'name' version N", for messages. */
    public String describe() {
        return "model '" + name + "' version " + version;
    }

    public ModelConfig config() {
        return config;
    }

    /** Where requests to this version wait for an instance and run. */
    public RequestScheduler scheduler() {
        return scheduler;
    }

    public List<Signature> inputs() {
        return inputs;
    }

    public List<Signature> outputs() {
        return outputs;
    }

    /**
     * Counts one more request using this version; false once it is retired, when the caller
     * must look the model up again. Each true result needs one {@link #release()}.
     */
    public boolean tryAcquire() {
        inFlight.incrementAndGet();
        if (retired) {
            release();
            return false;
        }
        return true;
    }

    /** Ends one request's use; the last one on a retired version closes it. */
    public void release() {
        if (inFlight.decrementAndGet() == 0 && retired) {
            closeOnce();
        }
    }

    /** Takes no more requests and closes once those in flight are done. Idempotent. */
    public void retire() {
        retired = true;
        retireActions.forEach(Runnable::run);
        if (inFlight.get() == 0) {
            closeOnce();
        }
    }

    /** Whether this version was replaced or unloaded: it takes no new requests. */
    public boolean isRetired() {
        return retired;
    }

    /**
     * Runs {@code action} when this version is retired, or now if it already is. The action must
     * be idempotent and quick: it may run more than once, on the retiring thread.
     */
    public void whenRetired(Runnable action) {
        retireActions.add(action);
        if (retired) {
            action.run();
        }
    }

    /** Whether the compiled model has been closed. */
    public boolean isClosed() {
        return closed.get();
    }

    private List<ModelInstance> schedulerInstances() {
        return instances.stream().<ModelInstance>map(instance -> instance::run).toList();
    }

    private void closeOnce() {
        if (closed.compareAndSet(false, true)) {
            scheduler.close();
            instances.forEach(CompiledModel::close);
        }
    }
}
