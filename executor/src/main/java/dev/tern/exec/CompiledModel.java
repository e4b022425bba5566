package dev.tern.exec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.exec.internal.DeadlineTimer;
import dev.tern.exec.internal.InputCheck;
import dev.tern.exec.internal.SessionResources;
import dev.tern.exec.internal.Signatures;
import dev.tern.exec.internal.TensorBridge;
import dev.tern.exec.internal.Termination;
import dev.tern.ir.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A model ready to run: an ONNX Runtime session with its signature. Made by {@link Runtime}.
 *
 * <p>Thread-safe: any number of threads may run one model at once. {@link #close()} waits for
 * runs in progress, then releases the session; later calls throw {@link ClosedException}.
 * Every input is checked in Java before anything reaches native code.
 */
public final class CompiledModel implements AutoCloseable {
    private final String name;
    private final OrtEnvironment env;
    private final SessionResources resources;
    private final List<IoSpec> inputs;
    private final List<IoSpec> outputs;
    private final Set<String> outputNames = new LinkedHashSet<>();
    private final InputCheck inputCheck;
    private final List<String> nonTensorOutputs = new ArrayList<>();
    private final boolean profiling;
    private final DeadlineTimer deadlines;
    private final Consumer<CompiledModel> onClose;
    /** Runs hold the read lock, close takes the write lock: the session never closes under a run. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private CompiledModel(String name, OrtEnvironment env, SessionResources resources, boolean profiling,
                          DeadlineTimer deadlines, Consumer<CompiledModel> onClose) throws OrtException {
        this.name = name;
        this.env = env;
        this.resources = resources;
        this.inputs = Signatures.of(resources.session().getInputInfo());
        this.outputs = Signatures.of(resources.session().getOutputInfo());
        this.inputCheck = new InputCheck(name, inputs);
        for (IoSpec output : outputs) {
            outputNames.add(output.name());
            if (!output.isTensor()) {
                nonTensorOutputs.add(output.name());
            }
        }
        this.profiling = profiling;
        this.deadlines = deadlines;
        this.onClose = onClose;
    }

    /** Wraps {@code resources}, taking ownership; closes them if their signature cannot be read. */
    static CompiledModel of(String name, OrtEnvironment env, SessionResources resources, boolean profiling,
                            DeadlineTimer deadlines, Consumer<CompiledModel> onClose) throws OrtException {
        try {
            return new CompiledModel(name, env, resources, profiling, deadlines, onClose);
        } catch (OrtException | RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    /** The model's name: its main graph's name, or the file name for a model opened from a file. */
    public String name() {
        return name;
    }

    /** The inputs a run must feed, in the model's order (initializers are not among them). */
    public List<IoSpec> inputs() {
        return inputs;
    }

    public List<IoSpec> outputs() {
        return outputs;
    }

    /**
     * Bytes of weights ONNX Runtime uses in place, in the compiled IR's own buffers, without a
     * copy: the weights of a model from {@link Runtime#compile}, 0 for one opened from a file.
     * ONNX Runtime may still repack some (MatMul weights) into its own layout.
     */
    public long sharedWeightBytes() {
        return resources.sharedWeightBytes();
    }

    /**
     * Runs the model once. The inputs are not copied; every output is copied into a new Tern
     * tensor over a direct buffer, which the caller owns.
     *
     * @throws InvalidInputException for an unknown or missing input name, a wrong element type,
     *     rank or dimension
     * @throws ExecException if the model has sequence or map outputs (use {@link #runNative})
     * @throws ClosedException if the model is closed
     * @throws ExecutionFailedException if ONNX Runtime fails the run
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return run(inputs, RunControl.none());
    }

    /**
     * {@link #run(Map)} under a deadline and/or cancellation token.
     *
     * @throws RunCancelledException if the run was cancelled or its deadline passed; the model
     *     stays usable
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs, RunControl control) {
        requireOpen();
        if (!nonTensorOutputs.isEmpty()) {
            throw new ExecException("model '" + name + "': outputs " + nonTensorOutputs
                    + " are not tensors; read them with runNative");
        }
        Map<String, OnnxTensor> fed = feed(inputs);
        try (OrtSession.Result result = execute(fed, null, control)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> output : result) {
                out.put(output.getKey(), TensorBridge.toIr(output.getKey(), (OnnxTensor) output.getValue()));
            }
            return Collections.unmodifiableMap(out);
        } catch (OrtException e) {
            throw failed(e);
        } finally {
            fed.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * Runs the model on tensors already in ONNX Runtime's memory (outputs of earlier runs, or
     * {@link NativeTensor#wrap wrapped} Tern tensors) and keeps the outputs there: nothing is
     * copied either way. The caller owns the returned {@link Outputs} and closes it.
     *
     * @throws InvalidInputException for an unknown or missing input name, a wrong element type,
     *     rank or dimension
     * @throws ClosedException if the model or an input tensor is closed
     * @throws ExecutionFailedException if ONNX Runtime fails the run
     */
    public Outputs runNative(Map<String, NativeTensor> inputs) {
        return runNative(inputs, RunControl.none());
    }

    /**
     * {@link #runNative(Map)} under a deadline and/or cancellation token.
     *
     * @throws RunCancelledException if the run was cancelled or its deadline passed
     */
    public Outputs runNative(Map<String, NativeTensor> inputs, RunControl control) {
        requireOpen();
        Map<String, OnnxTensor> fed = checkedNative(inputs);
        try {
            return new Outputs(name, execute(fed, null, control));
        } catch (OrtException e) {
            throw failed(e);
        }
    }

    private Map<String, OnnxTensor> checkedNative(Map<String, NativeTensor> inputs) {
        InputCheck.Run check = inputCheck.start(inputs.keySet());
        Map<String, OnnxTensor> fed = new HashMap<>(inputs.size() * 2);
        for (String input : inputCheck.names()) {
            NativeTensor tensor = Objects.requireNonNull(inputs.get(input), () -> "input '" + input + "'");
            check.check(input, tensor.elementType(), tensor.dims());
            fed.put(input, tensor.ort());
        }
        return fed;
    }

    /**
     * {@link #runNative(Map)} writing the outputs named in {@code into} straight into those
     * tensors instead of allocating them: for state carried from run to run, such as training
     * weights kept in two sets that swap roles each step. The returned {@link Outputs} hold
     * the other outputs (and views of {@code into}, which stay the caller's); the caller closes
     * them. An input and an {@code into} tensor must not be the same tensor.
     *
     * @throws InvalidInputException for a bad input (as {@link #runNative(Map)}), an
     *     {@code into} name that is not an output, or an {@code into} tensor that is not
     *     {@link NativeTensor#isWritable writable}
     * @throws ClosedException if the model or a tensor is closed
     * @throws ExecutionFailedException if ONNX Runtime fails the run, for example because an
     *     {@code into} tensor's shape or element type differs from the output's
     */
    public Outputs runNative(Map<String, NativeTensor> inputs, Map<String, NativeTensor> into) {
        requireOpen();
        Map<String, OnnxTensor> fed = checkedNative(inputs);
        Map<String, OnnxTensor> written = new HashMap<>(into.size() * 2);
        for (Map.Entry<String, NativeTensor> target : into.entrySet()) {
            if (!outputNames.contains(target.getKey())) {
                throw new InvalidInputException("model '" + name + "': unknown output name '" + target.getKey()
                        + "' to write into, expected one of " + outputNames);
            }
            if (!target.getValue().isWritable()) {
                throw new InvalidInputException("model '" + name + "': output '" + target.getKey()
                        + "' cannot be written into " + target.getValue() + "; make it with NativeTensor.copyOf");
            }
            written.put(target.getKey(), target.getValue().ort());
        }
        Set<String> allocated = new LinkedHashSet<>(outputNames);
        allocated.removeAll(into.keySet());
        try {
            return new Outputs(name, execute(fed, allocated, written, RunControl.none()));
        } catch (OrtException e) {
            throw failed(e);
        }
    }

    /**
     * Output buffers allocated once for runs that repeat the same shapes: each run writes into
     * them instead of allocating. Symbolic output dimensions take their sizes from
     * {@code dimensions} (for example {@code Map.of("batch", 8L)}). The caller owns the result
     * and closes it; it must not outlive this model.
     *
     * @throws ExecException if an output is not a fixed-width tensor, or a dimension is unknown
     *     or its symbol missing from {@code dimensions}
     */
    public PinnedOutputs pinOutputs(Map<String, Long> dimensions) {
        requireOpen();
        return PinnedOutputs.allocate(this, env, outputs, dimensions);
    }

    /**
     * Ends profiling and says where ONNX Runtime wrote the profile; empty when the model was
     * compiled without {@link SessionConfig.Builder#profilingFile}.
     *
     * @throws ClosedException if the model is closed
     */
    public Optional<Path> endProfiling() {
        if (!profiling) {
            return Optional.empty();
        }
        Lock lock = acquireRunLock();
        try {
            return Optional.of(Path.of(resources.session().endProfiling()));
        } catch (OrtException e) {
            throw failed(e);
        } finally {
            lock.unlock();
        }
    }

    /** Waits for runs in progress, then releases the session and the weights it held. Idempotent. */
    @Override
    public void close() {
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            resources.close();
        } finally {
            lock.unlock();
        }
        onClose.accept(this);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "CompiledModel(" + name + ": " + inputs + " -> " + outputs + (closed ? ", closed" : "") + ")";
    }

    /** Checks {@code inputs} and wraps them for ONNX Runtime; the caller closes the result. */
    Map<String, OnnxTensor> feed(Map<String, Tensor> inputs) {
        InputCheck.Run check = inputCheck.start(inputs.keySet());
        for (String input : inputCheck.names()) {
            Tensor tensor = Objects.requireNonNull(inputs.get(input), () -> "input '" + input + "'");
            check.check(input, tensor.elementType(), tensor.dims());
        }
        Map<String, OnnxTensor> fed = new HashMap<>(inputs.size() * 2);
        try {
            for (String input : inputCheck.names()) {
                fed.put(input, TensorBridge.toOrt(env, inputs.get(input), "model '" + name + "': input '" + input + "'"));
            }
            return fed;
        } catch (OrtException | RuntimeException e) {
            fed.values().forEach(OnnxTensor::close);
            throw e instanceof OrtException ortError ? failed(ortError) : (RuntimeException) e;
        }
    }

    /**
     * Runs the session under the run lock, writing into {@code pinned} if given, and turns a
     * run stopped by {@code control} into {@link RunCancelledException}.
     */
    OrtSession.Result execute(Map<String, ? extends OnnxTensorLike> fed, Map<String, ? extends OnnxValue> pinned,
                              RunControl control) throws OrtException {
        return execute(fed, Collections.emptySet(), pinned, control);
    }

    /** {@link #execute(Map, Map, RunControl)} also allocating the outputs in {@code allocated}, when {@code pinned} is given. */
    private OrtSession.Result execute(Map<String, ? extends OnnxTensorLike> fed, Set<String> allocated,
                                      Map<String, ? extends OnnxValue> pinned, RunControl control)
            throws OrtException {
        Lock lock = acquireRunLock();
        try {
            OrtSession session = resources.session();
            if (!control.isLimited()) {
                return pinned == null ? session.run(fed) : session.run(fed, allocated, pinned);
            }
            return runLimited(session, fed, allocated, pinned, control);
        } finally {
            lock.unlock();
        }
    }

    ExecutionFailedException failed(OrtException e) {
        return new ExecutionFailedException("model '" + name + "': ONNX Runtime failed: " + e.getMessage(), e);
    }

    private OrtSession.Result runLimited(OrtSession session, Map<String, ? extends OnnxTensorLike> fed,
                                         Set<String> allocated, Map<String, ? extends OnnxValue> pinned,
                                         RunControl control)
            throws OrtException {
        CancellationToken token = control.token().orElse(null);
        if (token != null && token.isCancelled()) {
            throw new RunCancelledException("model '" + name + "': run cancelled before it started", false);
        }
        try (Termination termination = new Termination()) {
            Runnable onCancel = () -> termination.stop(false);
            ScheduledFuture<?> deadline = control.timeout()
                    .map(timeout -> deadlines.schedule(termination, timeout)).orElse(null);
            if (token != null) {
                token.register(onCancel);
            }
            try {
                return pinned == null
                        ? session.run(fed, termination.options())
                        : session.run(fed, allocated, pinned, termination.options());
            } catch (OrtException e) {
                if (!termination.stopped()) {
                    throw e;
                }
                throw termination.byDeadline()
                        ? new RunCancelledException("model '" + name + "': run exceeded its deadline of "
                                + control.timeout().orElseThrow().toMillis() + " ms", true)
                        : new RunCancelledException("model '" + name + "': run cancelled", false);
            } finally {
                if (deadline != null) {
                    deadline.cancel(false);
                }
                if (token != null) {
                    token.unregister(onCancel);
                }
            }
        }
    }

    private Lock acquireRunLock() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        if (closed) {
            lock.unlock();
            throw closedError();
        }
        return lock;
    }

    private void requireOpen() {
        if (closed) {
            throw closedError();
        }
    }

    private ClosedException closedError() {
        return new ClosedException("model '" + name + "' is closed");
    }
}
