package dev.tern.exec;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoraAdapter;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.tern.exec.internal.DeadlineTimer;
import dev.tern.exec.internal.PlaceholderFolder;
import dev.tern.exec.internal.ProcessEnvironment;
import dev.tern.exec.internal.SessionOptionsFactory;
import dev.tern.exec.internal.SessionResources;
import dev.tern.exec.internal.SharedWeights;
import dev.tern.exec.internal.WeightInlining;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: compiles models into {@link CompiledModel}s on ONNX Runtime.
 *
 * <pre>{@code
 * try (Runtime rt = Runtime.create();
 *      CompiledModel model = rt.compile(OnnxImporter.read(path), SessionConfig.defaults())) {
 *     Map<String, Tensor> out = model.run(Map.of("x", x));
 * }
 * }</pre>
 *
 * <p>Ownership: the caller owns each compiled model and may close it at any time; closing the
 * runtime closes every model it compiled that is still open. The ONNX Runtime environment is
 * process-wide and stays loaded. Thread-safe.
 */
public final class Runtime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Runtime.class);
    /** Opsets that {@link #compile(Graph, SessionConfig)} imports for a bare graph. */
    static final Map<String, Long> DEFAULT_OPSETS = Map.of("", 21L, "com.microsoft", 1L, "ai.onnx.ml", 3L);

    private final OrtEnvironment env;
    private final Set<CompiledModel> open = ConcurrentHashMap.newKeySet();
    private final Set<Adapter> openAdapters = ConcurrentHashMap.newKeySet();
    private final DeadlineTimer deadlines = new DeadlineTimer();
    private PlaceholderFolder placeholder;
    private volatile boolean closed;

    private Runtime(OrtEnvironment env) {
        this.env = env;
    }

    /**
     * A runtime on the process-wide ONNX Runtime environment (loading the native library on
     * first use). ONNX Runtime writes its own log to standard error, as much of it as the SLF4J
     * logger {@code dev.tern.exec.onnxruntime} is set to log: warnings and errors when it logs
     * warnings, errors alone when it logs only errors.
     *
     * <p>On Linux, creating that environment takes stack in proportion to the process's command
     * line (ONNX Runtime's telemetry reads it), more than a Java thread has once the command line
     * passes about 4 KB. Tern creates it on a thread of its own with enough stack, so a long
     * class path is safe; code that creates an {@code OrtEnvironment} itself before Tern does
     * goes without this protection.
     *
     * @throws ExecException on a big-endian platform, where Tern's little-endian tensors
     *     cannot be shared with ONNX Runtime
     */
    public static Runtime create() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExecException("the executor shares little-endian tensors with ONNX Runtime and needs a"
                    + " little-endian platform; this one is " + ByteOrder.nativeOrder());
        }
        return new Runtime(ProcessEnvironment.get());
    }

    /** The version of the ONNX Runtime library in use. */
    public String onnxRuntimeVersion() {
        return env.getVersion();
    }

    /** {@link #compile(Model, SessionConfig)} with {@link SessionConfig#defaults()}. */
    public CompiledModel compile(Model model) {
        return compile(model, SessionConfig.defaults());
    }

    /**
     * Compiles {@code model}. Its weights are not copied: ONNX Runtime uses the tensors' own
     * buffers (memory-mapped ones included) in place, so the model's tensors must not change
     * while the compiled model is open; the compiled model keeps them reachable.
     *
     * @throws dev.tern.ir.ValidationException if the model is invalid
     * @throws ProviderUnavailableException if the configured provider cannot be used
     * @throws ExecutionFailedException if ONNX Runtime refuses the model
     * @throws ClosedException if this runtime is closed
     */
    public CompiledModel compile(Model model, SessionConfig config) {
        requireOpen();
        Objects.requireNonNull(config, "config");
        model.validate();
        String name = model.graph().name().isEmpty() ? "model" : model.graph().name();
        Set<String> inline = WeightInlining.upfront(model.graph(), config.optimizationLevel());
        while (true) {
            SharedWeights weights = null;
            SessionOptions options = null;
            try {
                weights = SharedWeights.of(env, model, inline);
                options = SessionOptionsFactory.create(config, name);
                weights.addTo(options, placeholder());
                OrtSession session = env.createSession(weights.structure(), options);
                return register(name, new SessionResources(session, options, weights), config);
            } catch (OrtException e) {
                closeQuietly(options, weights);
                Optional<String> unread = WeightInlining.unreadInitializer(e);
                if (unread.isEmpty() || !inline.add(unread.get())) {
                    throw new ExecutionFailedException("model '" + name + "': ONNX Runtime could not create a session: "
                            + e.getMessage(), e);
                }
                LOG.debug("model '{}': ONNX Runtime reads initializer '{}' from the graph; keeping it inline",
                        name, unread.get());
            } catch (RuntimeException e) {
                closeQuietly(options, weights);
                throw e;
            }
        }
    }

    /** {@link #compile(Graph, SessionConfig)} with {@link SessionConfig#defaults()}. */
    public CompiledModel compile(Graph graph) {
        return compile(graph, SessionConfig.defaults());
    }

    /**
     * Compiles a bare graph as a model importing, for each domain its nodes use, a default
     * opset (ai.onnx 21, com.microsoft 1, ai.onnx.ml 3). The graph becomes
     * the main graph of that model. For other domains or versions, build a {@link Model}.
     *
     * @throws ExecException if a node uses a domain with no default opset
     */
    public CompiledModel compile(Graph graph, SessionConfig config) {
        Model model = new Model(graph);
        for (Node node : graph.allNodes()) {
            String domain = node.domain().equals("ai.onnx") ? "" : node.domain();
            Long version = DEFAULT_OPSETS.get(domain);
            if (version == null) {
                throw new ExecException("graph '" + graph.name() + "': node " + node.describe() + " uses domain '"
                        + domain + "', which has no default opset; compile a Model that imports it");
            }
            model.opsetImports().put(domain, version);
        }
        model.opsetImports().putIfAbsent("", DEFAULT_OPSETS.get(""));
        return compile(model, config);
    }

    /** {@link #open(Path, SessionConfig)} with {@link SessionConfig#defaults()}. */
    public CompiledModel open(Path file) {
        return open(file, SessionConfig.defaults());
    }

    /**
     * Opens an ONNX file as it is, letting ONNX Runtime read it (and its external data) directly:
     * the fastest way to run a model that needs no changes.
     *
     * @throws ExecException if the file does not exist
     * @throws ProviderUnavailableException if the configured provider cannot be used
     * @throws ExecutionFailedException if ONNX Runtime cannot load the model
     * @throws ClosedException if this runtime is closed
     */
    public CompiledModel open(Path file, SessionConfig config) {
        requireOpen();
        Objects.requireNonNull(config, "config");
        if (!Files.isRegularFile(file)) {
            throw new ExecException("model file " + file + " does not exist or is not a regular file");
        }
        String name = file.getFileName().toString();
        SessionOptions options = null;
        try {
            options = SessionOptionsFactory.create(config, name);
            OrtSession session = env.createSession(file.toString(), options);
            return register(name, new SessionResources(session, options, null), config);
        } catch (OrtException e) {
            closeQuietly(options, null);
            throw new ExecutionFailedException("model '" + name + "': ONNX Runtime could not load " + file + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(options, null);
            throw e;
        }
    }

    /**
     * Loads a LoRA adapter file ({@code .onnx_adapter}, ONNX Runtime's format) once, for any
     * number of runs of any compiled model to apply through {@link RunControl#withAdapter}. The
     * caller owns the adapter and may close it at any time (it waits for the runs using it);
     * closing the runtime closes it too.
     *
     * @throws AdapterFormatException if the file is not an adapter of format version 1
     * @throws java.io.UncheckedIOException if the file cannot be read
     * @throws ExecutionFailedException if ONNX Runtime refuses the file
     * @throws ClosedException if this runtime is closed
     */
    public Adapter loadAdapter(Path file) {
        requireOpen();
        // Parsed here first, so a bad file gets a precise message and the adapter knows its parameters.
        AdapterFile contents = AdapterFile.read(file);
        OrtLoraAdapter loaded;
        try {
            loaded = OrtLoraAdapter.create(file.toString());
        } catch (OrtException e) {
            throw new ExecutionFailedException("adapter " + file + ": ONNX Runtime could not load it: "
                    + e.getMessage(), e);
        }
        Adapter adapter = new Adapter(file, loaded, contents, openAdapters::remove);
        openAdapters.add(adapter);
        if (closed) {
            // close() ran while this adapter was being loaded and did not see it.
            adapter.close();
            requireOpen();
        }
        return adapter;
    }

    /** Closes every model this runtime compiled and every adapter it loaded that are still open, then the runtime. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (CompiledModel model : new ArrayList<>(open)) {
            model.close();
        }
        for (Adapter adapter : new ArrayList<>(openAdapters)) {
            adapter.close();
        }
        deadlines.close();
        synchronized (this) {
            if (placeholder != null) {
                placeholder.close();
            }
        }
    }

    /** How many compiled models are open; for leak checks. */
    public int openModels() {
        return open.size();
    }

    /** How many loaded adapters are open; for leak checks. */
    public int openAdapters() {
        return openAdapters.size();
    }

    private CompiledModel register(String name, SessionResources resources, SessionConfig config)
            throws OrtException {
        CompiledModel model = CompiledModel.of(name, env, resources, config.profilingFile().isPresent(), deadlines,
                open::remove);
        open.add(model);
        if (closed) {
            // close() ran while this model was being compiled and did not see it.
            model.close();
            requireOpen();
        }
        return model;
    }

    private synchronized PlaceholderFolder placeholder() {
        if (placeholder == null) {
            placeholder = PlaceholderFolder.create();
        }
        return placeholder;
    }

    private static void closeQuietly(SessionOptions options, SharedWeights weights) {
        if (options != null) {
            options.close();
        }
        if (weights != null) {
            weights.close();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new ClosedException("the runtime is closed");
        }
    }
}
