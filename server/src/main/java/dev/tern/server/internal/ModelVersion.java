package dev.tern.server.internal;

import dev.tern.exec.CompiledModel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded version of a model: the compiled model, its signature in protocol terms, and a
 * count of the requests using it. A version replaced by a reload or unloaded is retired: it
 * takes no new requests and closes its compiled model when the last one in flight is done,
 * so a reload under traffic loses no request.
 */
public final class ModelVersion {
    private final String name;
    private final long version;
    private final CompiledModel model;
    private final List<Signature> inputs;
    private final List<Signature> outputs;
    private final ModelConfig config;
    private final DynamicBatcher batcher;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean retired;

    /**
     * Takes ownership of {@code model}; starts a batcher recording into {@code metrics} when
     * {@code config} asks for dynamic batching.
     */
    public ModelVersion(String name, long version, CompiledModel model, ModelConfig config, ServerMetrics metrics) {
        this.name = name;
        this.version = version;
        this.model = model;
        this.inputs = Signature.ofAll(model.inputs());
        this.outputs = Signature.ofAll(model.outputs());
        this.config = config;
        this.batcher = config.dynamicBatching()
                .map(batching -> new DynamicBatcher(this, batching, config.maxBatchSize(), metrics))
                .orElse(null);
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

    public CompiledModel model() {
        return model;
    }

    public ModelConfig config() {
        return config;
    }

    /** The batcher requests go through, if the model's configuration asks for dynamic batching. */
    Optional<DynamicBatcher> batcher() {
        return Optional.ofNullable(batcher);
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
        if (inFlight.get() == 0) {
            closeOnce();
        }
    }

    /** Whether the compiled model has been closed. */
    public boolean isClosed() {
        return closed.get();
    }

    private void closeOnce() {
        if (closed.compareAndSet(false, true)) {
            if (batcher != null) {
                batcher.close();
            }
            model.close();
        }
    }
}
