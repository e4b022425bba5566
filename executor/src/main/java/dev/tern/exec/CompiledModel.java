package dev.tern.exec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.exec.internal.DeadlineTimer;
import dev.tern.exec.internal.ElementTypes;
import dev.tern.exec.internal.InputCheck;
import dev.tern.exec.internal.RunState;
import dev.tern.exec.internal.RunStatePool;
import dev.tern.exec.internal.SessionResources;
import dev.tern.exec.internal.Signatures;
import dev.tern.exec.internal.TensorBridge;
import dev.tern.exec.internal.Termination;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model ready to run: an ONNX Runtime session with its signature. Made by {@link Runtime}.
 *
 * <p>Thread-safe: any number of threads may run one model at once. {@link #close()} waits for
 * runs in progress, then releases the session; later calls throw {@link ClosedException}.
 * Every input is checked in Java before anything reaches native code.
 */
public final class CompiledModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompiledModel.class);
    /** Run states kept per model: enough for every core to run twice over, at least four. */
    private static final int RUN_STATES = Math.max(4, 2 * java.lang.Runtime.getRuntime().availableProcessors());

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
    private final String[] inputNames;
    private final RunStatePool runStates;
    /** Cleared when ONNX Runtime refuses outputs pinned to learned shapes (shapes that depend on the data). */
    private volatile boolean pinningWorks = true;
    /**
     * The outputs ONNX Runtime allocates in a run that writes the others into the caller's
     * tensors, for the last set of names written into: a training step writes into the same
     * names every run, so the set is not rebuilt per run.
     */
    private volatile AllocatedOutputs lastAllocated;
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
        this.inputNames = inputCheck.names().toArray(new String[0]);
        String[] outputNames = new String[outputs.size()];
        for (int i = 0; i < outputNames.length; i++) {
            outputNames[i] = outputs.get(i).name();
        }
        ElementType[] pinnableTypes = pinnableTypes(outputs);
        this.runStates = new RunStatePool(RUN_STATES,
                () -> new RunState(env, name, inputNames, outputNames, pinnableTypes));
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
     * tensor over a direct buffer, which the caller owns and no later run writes to.
     *
     * <p>Repeated calls are cheap: the model keeps the ONNX Runtime wrappers of the tensors last
     * fed (fixed-width data in direct buffers, which ONNX Runtime reads in place) and reuses them
     * when the same {@link Tensor} objects come again, and from the second run with input shapes
     * seen before ONNX Runtime writes the outputs into buffers kept for those shapes, from which
     * they are copied: up to 32 input shape sets (batch sizes, say) are remembered, keeping at
     * most 1 MiB of outputs besides those of the shapes in use. These caches hold at most a few
     * sets per model (one per concurrent run, up to twice the core count), keep the tensors last
     * fed reachable until they are replaced or the model is closed, and are released by
     * {@link #close()}. Outputs of up to 4 KiB are slices of shared
     * 64 KiB direct blocks, each freed once none of its slices is reachable.
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
     * {@link #run(Map)} under a deadline and/or cancellation token, applying the control's adapter if any.
     *
     * @throws RunCancelledException if the run was cancelled or its deadline passed; the model
     *     stays usable
     * @throws ClosedException if the model or the control's adapter is closed
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs, RunControl control) {
        requireOpen();
        if (!nonTensorOutputs.isEmpty()) {
            throw new ExecException("model '" + name + "': outputs " + nonTensorOutputs
                    + " are not tensors; read them with runNative");
        }
        Tensor[] ordered = new Tensor[inputNames.length];
        long[][] dims = new long[inputNames.length][];
        checkInputs(inputs, ordered, dims);
        Lock lock = acquireRunLock();
        RunState state = runStates.claim();
        try {
            Map<String, OnnxTensor> fed = state.feed(ordered, dims);
            Map<String, OnnxTensor> pinned = pinningWorks ? state.pinnedOutputs() : null;
            if (pinned != null) {
                try {
                    // The result holds only the pinned outputs, which it does not own: closing it frees nothing.
                    executeLocked(fed, Collections.emptySet(), pinned, control).close();
                    return outputMap(state.outputNames(), state.copyPinned());
                } catch (OrtException e) {
                    state.forgetOutputs();
                    return runUnpinned(state, fed, control, e);
                }
            }
            return runUnpinned(state, fed, control, null);
        } catch (OrtException e) {
            throw failed(e);
        } finally {
            state.endRun();
            runStates.giveBack(state);
            lock.unlock();
        }
    }

    /**
     * Runs with outputs ONNX Runtime allocates, copies them and learns their shapes. After
     * {@code pinnedFailure}, a success means ONNX Runtime refused outputs of learned shapes:
     * this model's output shapes depend on the data, so pinning stops.
     */
    private Map<String, Tensor> runUnpinned(RunState state, Map<String, OnnxTensor> fed, RunControl control,
                                            OrtException pinnedFailure) throws OrtException {
        try (OrtSession.Result result = executeLocked(fed, Collections.emptySet(), null, control)) {
            if (pinnedFailure != null) {
                pinningWorks = false;
                LOG.info("model '{}': ONNX Runtime refused outputs preallocated to earlier shapes ({}); its runs"
                        + " no longer preallocate outputs", name, pinnedFailure.getMessage());
            } else {
                state.learn(result);
            }
            String[] names = state.outputNames();
            Tensor[] copies = new Tensor[names.length];
            for (int i = 0; i < names.length; i++) {
                copies[i] = TensorBridge.toIr(names[i], (OnnxTensor) result.get(names[i]).orElseThrow());
            }
            return outputMap(names, copies);
        }
    }

    private static Map<String, Tensor> outputMap(String[] names, Tensor[] tensors) {
        if (names.length == 1) {
            return Collections.singletonMap(names[0], tensors[0]);
        }
        Map<String, Tensor> out = new LinkedHashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], tensors[i]);
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Checks {@code inputs} and puts them, and their dims, in the model's order. Checks without
     * allocating first; only a call that fails goes through {@link InputCheck.Run}, which explains.
     */
    private void checkInputs(Map<String, Tensor> inputs, Tensor[] ordered, long[][] dims) {
        boolean ok = inputs.size() == inputNames.length;
        long[] symbols = ok ? inputCheck.newSymbolTable() : null;
        for (int i = 0; ok && i < inputNames.length; i++) {
            Tensor tensor = inputs.get(inputNames[i]);
            ok = tensor != null;
            if (ok) {
                ordered[i] = tensor;
                dims[i] = tensor.dims();
                ok = inputCheck.accepts(i, tensor.elementType(), dims[i], symbols);
            }
        }
        if (!ok) {
            explainBadInputs(inputs);
            throw new IllegalStateException("model '" + name + "': inputs " + inputs.keySet()
                    + " failed a check that cannot explain why");
        }
    }

    private void explainBadInputs(Map<String, Tensor> inputs) {
        InputCheck.Run check = inputCheck.start(inputs.keySet());
        for (String input : inputCheck.names()) {
            Tensor tensor = Objects.requireNonNull(inputs.get(input), () -> "input '" + input + "'");
            check.check(input, tensor.elementType(), tensor.dims());
        }
    }

    /** Each output's element type, or null when some output is not a tensor ONNX Runtime's Java API can create. */
    private static ElementType[] pinnableTypes(List<IoSpec> outputs) {
        ElementType[] types = new ElementType[outputs.size()];
        for (int i = 0; i < types.length; i++) {
            if (!(outputs.get(i).type() instanceof ValueType.TensorType tensor)
                    || !tensor.elementType().isFixedWidth() || !ElementTypes.isCreatable(tensor.elementType())) {
                return null;
            }
            types[i] = tensor.elementType();
        }
        return types;
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
     * {@link #runNative(Map)} under a deadline and/or cancellation token, applying the control's adapter if any.
     *
     * @throws RunCancelledException if the run was cancelled or its deadline passed
     * @throws ClosedException if the model, an input tensor or the control's adapter is closed
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
        try {
            return new Outputs(name, execute(fed, allocatedBeside(into.keySet()), written, RunControl.none()));
        } catch (OrtException e) {
            throw failed(e);
        }
    }

    /** The outputs other than {@code written}, in output order; cached for the last {@code written} names. */
    private Set<String> allocatedBeside(Set<String> written) {
        AllocatedOutputs cached = lastAllocated;
        if (cached == null || !cached.written().equals(written)) {
            Set<String> allocated = new LinkedHashSet<>(outputNames);
            allocated.removeAll(written);
            cached = new AllocatedOutputs(Set.copyOf(written), Collections.unmodifiableSet(allocated));
            lastAllocated = cached;
        }
        return cached.allocated();
    }

    /** The outputs a run allocates when it writes {@code written} into the caller's tensors. */
    private record AllocatedOutputs(Set<String> written, Set<String> allocated) {
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
            runStates.close();
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
        explainBadInputs(inputs);
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
            return executeLocked(fed, allocated, pinned, control);
        } finally {
            lock.unlock();
        }
    }

    /** {@link #execute} for a caller that holds the run lock. */
    private OrtSession.Result executeLocked(Map<String, ? extends OnnxTensorLike> fed, Set<String> allocated,
                                            Map<String, ? extends OnnxValue> pinned, RunControl control)
            throws OrtException {
        OrtSession session = resources.session();
        if (!control.needsRunOptions()) {
            return pinned == null ? session.run(fed) : session.run(fed, allocated, pinned);
        }
        Adapter adapter = control.adapter().orElse(null);
        Lock adapterLock = adapter == null ? null : adapter.acquireForRun();
        try {
            return runWithOptions(session, fed, allocated, pinned, control);
        } finally {
            if (adapterLock != null) {
                adapterLock.unlock();
            }
        }
    }

    ExecutionFailedException failed(OrtException e) {
        return new ExecutionFailedException("model '" + name + "': ONNX Runtime failed: " + e.getMessage(), e);
    }

    /** A run under {@code control}'s limits, with its adapter (which the caller holds open). */
    private OrtSession.Result runWithOptions(OrtSession session, Map<String, ? extends OnnxTensorLike> fed,
                                             Set<String> allocated, Map<String, ? extends OnnxValue> pinned,
                                             RunControl control)
            throws OrtException {
        CancellationToken token = control.token().orElse(null);
        if (token != null && token.isCancelled()) {
            throw new RunCancelledException("model '" + name + "': run cancelled before it started", false);
        }
        try (Termination termination = new Termination()) {
            if (control.adapter().isPresent()) {
                termination.options().addActiveLoraAdapter(control.adapter().get().ort());
            }
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
