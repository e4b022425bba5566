package dev.tern.server.internal.repository;

import dev.tern.exec.CompiledModel;
import dev.tern.server.internal.ServerMetrics;
import dev.tern.server.internal.statistics.VersionStatistics;
import dev.tern.server.internal.Signature;
import dev.tern.server.internal.scheduling.ModelInstance;
import dev.tern.server.internal.scheduling.QueuePlacement;
import dev.tern.server.internal.scheduling.RequestScheduler;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One loaded version of a model: its compiled instances (sessions of the same model), the
 * {@link RequestScheduler} whose workers run requests on them, one worker per instance, its
 * signature in protocol terms as the configuration refines it, its LoRA {@link AdapterSet}, its
 * {@link VersionTokenizer} (which says whether it takes text), and a count of the requests using
 * it. A version replaced by a reload or unloaded is retired: it takes no new requests and closes
 * its instances, adapters and tokenizer when the last one in flight is done, so a reload under
 * traffic loses no request.
 */
public final class ModelVersion {
    private final String name;
    private final long version;
    private final String platform;
    private final List<Signature> inputs;
    private final List<Signature> outputs;
    private final ModelConfig config;
    private final RequestScheduler scheduler;
    private final AdapterSet adapters;
    private final VersionTokenizer tokenizer;
    private final Runnable closeInstances;
    private final VersionStatistics statistics = new VersionStatistics();
    private final UseCount requests = new UseCount(this::closeNow);
    private final List<Runnable> retireActions = new CopyOnWriteArrayList<>();

    /**
     * Takes ownership of {@code instances}, compiled from one file, once this returns; starts
     * their workers, recording into {@code metrics}.
     *
     * @throws IllegalArgumentException naming the config field when the config's input or output
     *     overrides contradict the model (the caller still owns the instances then)
     */
    public ModelVersion(String name, long version, List<CompiledModel> instances, ModelConfig config,
                        ServerMetrics metrics) {
        this(name, version, instances, AdapterSet.none(describe(name, version)),
                VersionTokenizer.none(describe(name, version), "it was made without a tokenizer"), config, metrics);
    }

    /**
     * As {@link #ModelVersion(String, long, List, ModelConfig, ServerMetrics)}, serving
     * {@code adapters} and taking text through {@code tokenizer}, which it owns too once this
     * returns (the caller still owns them if it throws).
     */
    ModelVersion(String name, long version, List<CompiledModel> instances, AdapterSet adapters,
                 VersionTokenizer tokenizer, ModelConfig config, ServerMetrics metrics) {
        this(name, version, ModelConfig.ONNX_PLATFORM, servedInputs(name, version, instances, config),
                TensorOverride.applyAll(config.outputs(), Signature.ofAll(first(name, version, instances).outputs()),
                        "output", config.maxBatchSize()),
                instances.stream().<ModelInstance>map(instance -> instance::run).toList(), adapters, tokenizer, config,
                metrics, closer(instances));
    }

    private ModelVersion(String name, long version, String platform, List<Signature> inputs, List<Signature> outputs,
                         List<ModelInstance> instances, AdapterSet adapters, VersionTokenizer tokenizer,
                         ModelConfig config, ServerMetrics metrics, Runnable closeInstances) {
        this.name = name;
        this.version = version;
        this.platform = platform;
        this.inputs = inputs;
        this.outputs = outputs;
        this.config = config;
        this.adapters = adapters;
        this.tokenizer = tokenizer;
        this.closeInstances = closeInstances;
        this.scheduler = new RequestScheduler(this, instances, config.queueing(), config.maxBatchRows(), metrics,
                statistics);
    }

    /**
     * A version of an ensemble: its metadata is {@code config}'s inputs and outputs, and each of
     * {@code config.instanceCount()} workers runs requests on {@code runner}, which runs the
     * member models (see {@link dev.tern.server.internal.ensemble.EnsembleInstance}).
     */
    static ModelVersion ensemble(String name, long version, EnsembleConfig ensemble, ModelInstance runner,
                                 ModelConfig config, ServerMetrics metrics) {
        return new ModelVersion(name, version, EnsembleConfig.PLATFORM,
                ensemble.inputs().stream().map(input -> input.declared(ensemble.maxBatchSize())).toList(),
                ensemble.outputs().stream().map(output -> output.declared(ensemble.maxBatchSize())).toList(),
                Collections.nCopies(config.instanceCount(), runner), AdapterSet.none(describe(name, version)),
                VersionTokenizer.none(describe(name, version), "it is an ensemble; send text to its member model"),
                config, metrics, () -> { });
    }

    /**
     * The inputs a version compiled as {@code instances} serves: the model's, as the config's
     * {@code input} overrides refine them.
     *
     * @throws IllegalArgumentException if there are no instances or the overrides contradict the model
     */
    static List<Signature> servedInputs(String name, long version, List<CompiledModel> instances,
                                        ModelConfig config) {
        return TensorOverride.applyAll(config.inputs(), Signature.ofAll(first(name, version, instances).inputs()),
                "input", config.maxBatchSize());
    }

    private static Runnable closer(List<CompiledModel> instances) {
        List<CompiledModel> owned = List.copyOf(instances);
        return () -> owned.forEach(CompiledModel::close);
    }

    private static CompiledModel first(String name, long version, List<CompiledModel> instances) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException(name + " version " + version + " needs at least one instance");
        }
        return instances.get(0);
    }

    /** What serves this version: {@value ModelConfig#ONNX_PLATFORM}, or {@value EnsembleConfig#PLATFORM}. */
    public String platform() {
        return platform;
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
        return describe(name, version);
    }

    /** "model 'name' version N", for messages about a version not made yet. */
    static String describe(String name, long version) {
        return "model '" + name + "' version " + version;
    }

    public ModelConfig config() {
        return config;
    }

    /** Where a request that names no priority waits: the config's default level, with no queue timeout. */
    public QueuePlacement defaultPlacement() {
        return new QueuePlacement(config.queueing().priorities().defaultLevel(), 0);
    }

    /** Where requests to this version wait for an instance and run. */
    public RequestScheduler scheduler() {
        return scheduler;
    }

    /** The LoRA adapters requests may choose. */
    public AdapterSet adapters() {
        return adapters;
    }

    /** How this version takes text, if it does. */
    public VersionTokenizer tokenizer() {
        return tokenizer;
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
        return requests.tryAcquire();
    }

    /** Ends one request's use; the last one on a retired version closes it. */
    public void release() {
        requests.release();
    }

    /** Takes no more requests and closes once those in flight are done. Idempotent. */
    public void retire() {
        requests.retire();
        retireActions.forEach(Runnable::run);
    }

    /** Whether this version was replaced or unloaded: it takes no new requests. */
    public boolean isRetired() {
        return requests.isRetired();
    }

    /**
     * Runs {@code action} when this version is retired, or now if it already is. The action must
     * be idempotent and quick: it may run more than once, on the retiring thread.
     */
    public void whenRetired(Runnable action) {
        retireActions.add(action);
        if (requests.isRetired()) {
            action.run();
        }
    }

    /** Whether the compiled model has been closed. */
    public boolean isClosed() {
        return requests.isClosed();
    }

    private void closeNow() {
        scheduler.close();
        adapters.close();
        tokenizer.close();
        closeInstances.run();
    }
}
