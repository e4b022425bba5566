package dev.tern.server.internal.repository;

import dev.tern.exec.Runtime;
import dev.tern.ir.TernException;
import dev.tern.server.ModelControl;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import dev.tern.server.TextEncoderFactory;
import dev.tern.server.internal.ServerMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of a repository folder laid out as {@code <root>/<model>/<version>/model.onnx},
 * with an optional {@code <root>/<model>/config.json} and optional LoRA adapters
 * {@code <root>/<model>/<version>/adapters/<name>.onnx_adapter}; versions are positive integers.
 *
 * <p>A model or version that fails to load is logged, listed in the {@link #index()} with the
 * reason, and the others keep serving. An ensemble loads only when each of its steps' members
 * serves the version and tensors the step names; one that fails for want of a member loads again
 * whenever that member loads (at a client's request or through polling). Every load, reload and
 * unload, and why it happened, is logged to {@value #EVENTS_LOGGER}. Names from clients are
 * checked against a strict pattern before they touch the file system, so none reaches outside
 * the root.
 *
 * <p>Thread-safe. Owns every compiled model it loads; the runtime stays the caller's.
 */
public final class ModelRepository implements AutoCloseable {
    /** The logger of model loads, reloads, unloads and their failures, for operators to follow. */
    public static final String EVENTS_LOGGER = "dev.tern.server.models";
    /** Model (and adapter) names a client may use: no separators, no "." or "..", nothing a shell or URL must escape. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Logger EVENTS = LoggerFactory.getLogger(EVENTS_LOGGER);

    /** Why a model is loaded or unloaded, as the log says it. */
    private enum Cause {
        SERVER_START("server start"),
        CLIENT_REQUEST("client request"),
        NEW_FOLDER("new folder"),
        FOLDER_CHANGED("folder changed"),
        FOLDER_REMOVED("folder removed"),
        MEMBER_LOADED("a member model loaded");

        private final String text;

        Cause(String text) {
            this.text = text;
        }
    }

    private final Path root;
    private final ModelLoader loader;
    private final ModelControl control;
    private final Map<String, LoadedModel> models = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A model in the index: one version's state, or the model's own failure when version is empty. */
    public record IndexEntry(String name, String version, String state, String reason) {
    }

    /**
     * A repository over {@code root} compiling on {@code runtime}, with nothing loaded yet: call
     * {@link #loadAll()} or {@link #loadAtStart}. Batching models record into {@code metrics}.
     *
     * @throws IllegalArgumentException if {@code root} is not a folder
     */
    public ModelRepository(Path root, Runtime runtime, ModelControl control, ServerMetrics metrics) {
        this(root, runtime::open, runtime::loadAdapter, Optional.empty(), control, metrics);
    }

    /**
     * A repository over {@code root} compiling on {@code runtime}, whose text models tokenize with
     * the encoders {@code textEncoders} opens; nothing is loaded yet.
     *
     * @throws IllegalArgumentException if {@code root} is not a folder
     */
    public ModelRepository(Path root, Runtime runtime, Optional<TextEncoderFactory> textEncoders,
                           ModelControl control, ServerMetrics metrics) {
        this(root, runtime::open, runtime::loadAdapter, textEncoders, control, metrics);
    }

    /**
     * A repository over {@code root} whose model instances {@code compiler} compiles and whose
     * LoRA adapters {@code adapterLoader} loads; no model takes text.
     *
     * @throws IllegalArgumentException if {@code root} is not a folder
     */
    public ModelRepository(Path root, ModelCompiler compiler, AdapterLoader adapterLoader, ModelControl control,
                           ServerMetrics metrics) {
        this(root, compiler, adapterLoader, Optional.empty(), control, metrics);
    }

    private ModelRepository(Path root, ModelCompiler compiler, AdapterLoader adapterLoader,
                            Optional<TextEncoderFactory> textEncoders, ModelControl control, ServerMetrics metrics) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("model repository " + root + " does not exist or is not a folder");
        }
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve model repository " + root, e);
        }
        this.loader = new ModelLoader(this.root, compiler, adapterLoader, textEncoders, metrics, this::acquire);
        this.control = control;
    }

    public ModelControl control() {
        return control;
    }

    public Path root() {
        return root;
    }

    /**
     * Loads every model folder in the repository, ensembles after the models they may run;
     * failures are recorded, not thrown.
     */
    public void loadAll() {
        List<String> names = new ArrayList<>(folderNames());
        names.sort(Comparator.comparing(loader::isEnsemble));
        for (String name : names) {
            load(name, Cause.SERVER_START);
        }
    }

    /**
     * Loads the models named, and no other, as the server starts; failures to load are recorded,
     * not thrown.
     *
     * @throws IllegalArgumentException if a name is malformed or the repository has no such model folder
     */
    public void loadAtStart(Collection<String> names) {
        List<String> present = folderNames();
        for (String name : names) {
            if (!present.contains(name)) {
                throw new IllegalArgumentException("model repository " + root + " has no model '" + name
                        + "' to load at start; its models are " + present);
            }
        }
        names.forEach(name -> load(name, Cause.SERVER_START));
    }

    /**
     * Loads {@code name} again if its folder changed since it was loaded, loads new folders,
     * and unloads models whose folder is gone. What polling runs. A changed model keeps serving
     * its unchanged versions as they are; new and changed versions compile and warm up while the
     * old ones serve, and replace them once READY; versions whose folder is gone unload.
     */
    public void rescan() {
        List<String> present = folderNames();
        for (String name : present) {
            LoadedModel loaded = models.get(name);
            if (loaded == null) {
                load(name, Cause.NEW_FOLDER);
            } else if (!loaded.fingerprint().equals(Fingerprint.of(root.resolve(name)))) {
                load(name, Cause.FOLDER_CHANGED);
            }
        }
        for (String name : new ArrayList<>(models.keySet())) {
            if (!present.contains(name)) {
                unload(name, models.remove(name), Cause.FOLDER_REMOVED);
            }
        }
    }

    /**
     * Loads or reloads model {@code name} at a client's request: new versions serve as soon as
     * they are compiled, old ones finish their requests in flight, then close.
     *
     * @throws StatusException INVALID_ARGUMENT for a malformed name or a model none of whose versions
     *     load, NOT_FOUND if the repository has no such folder
     */
    public void load(String name) {
        requireName(name);
        if (!Files.isDirectory(root.resolve(name))) {
            throw Status.notFound("model repository " + root + " has no model '" + name + "'").asException();
        }
        LoadedModel loaded = load(name, Cause.CLIENT_REQUEST);
        if (loaded.versions().isEmpty()) {
            throw Status.invalidArgument("model '" + name + "' failed to load: " + loaded.failures()).asException();
        }
    }

    /**
     * Brings the LoRA adapters of every loaded version of {@code name} in line with their
     * {@code adapters/} folders at a client's request, without reloading the model: the
     * versions stay READY and keep their instances and statistics.
     *
     * @throws StatusException INVALID_ARGUMENT for a malformed name or an adapter file that fails
     *     to load (that version's adapters are then unchanged), NOT_FOUND if the model is not loaded
     */
    public void rescanAdapters(String name) {
        requireName(name);
        LoadedModel loaded = models.get(name);
        if (loaded == null || loaded.versions().isEmpty()) {
            throw Status.notFound("model '" + name + "' is not loaded; load it before rescanning its adapters")
                    .asException();
        }
        for (ModelVersion version : loaded.versions().values()) {
            AdapterSet.Changes changes;
            try {
                changes = version.adapters().rescan();
            } catch (UncheckedIOException | TernException | IllegalArgumentException e) {
                String reason = LoadFailures.reason(e);
                EVENTS.warn("{}: adapters failed to load ({}), kept {}: {}", version.describe(),
                        Cause.CLIENT_REQUEST.text, version.adapters().names(), reason);
                throw Status.invalidArgument(version.describe() + ": adapters failed to load, kept "
                        + version.adapters().names() + ": " + reason).asException(e);
            }
            EVENTS.info("{}: adapters rescanned ({}): loaded {}, reloaded {}, unloaded {}; serving {}",
                    version.describe(), Cause.CLIENT_REQUEST.text, changes.loaded(), changes.reloaded(),
                    changes.unloaded(), version.adapters().names());
        }
    }

    /**
     * Unloads every version of {@code name} at a client's request, once its requests in flight are done.
     *
     * @throws StatusException NOT_FOUND if the model is not loaded
     */
    public void unload(String name) {
        requireName(name);
        LoadedModel loaded = models.remove(name);
        if (loaded == null) {
            throw Status.notFound("model '" + name + "' is not loaded").asException();
        }
        unload(name, loaded, Cause.CLIENT_REQUEST);
    }

    /**
     * The version to serve: {@code version}, or the newest loaded one when it is empty. The
     * caller must {@link ModelVersion#release()} it once the request is done.
     *
     * @throws StatusException INVALID_ARGUMENT for a malformed name or version, NOT_FOUND for an
     *     unknown model or version, UNAVAILABLE for a model that failed to load
     */
    public ModelVersion acquire(String name, String version) {
        // A version retired between lookup and acquire has been replaced: look again.
        while (true) {
            ModelVersion found = find(name, version);
            if (found.tryAcquire()) {
                return found;
            }
        }
    }

    /**
     * The version {@code acquire} would pick, without counting a request on it.
     *
     * @throws StatusException as for {@link #acquire}
     */
    public ModelVersion find(String name, String version) {
        requireOpen();
        requireName(name);
        if (!version.isEmpty() && !ModelLoader.VERSION.matcher(version).matches()) {
            throw Status.invalidArgument("model '" + name + "': version must be a positive integer, found '"
                    + version + "'").asException();
        }
        LoadedModel loaded = models.get(name);
        if (loaded == null) {
            throw Status.notFound("no model '" + name + "' is loaded; loaded models are "
                    + new TreeMap<>(models).keySet()).asException();
        }
        if (loaded.versions().isEmpty()) {
            throw Status.unavailable("model '" + name + "' failed to load: " + loaded.failures()).asException();
        }
        if (version.isEmpty()) {
            return loaded.versions().lastEntry().getValue();
        }
        ModelVersion found = loaded.versions().get(Long.parseLong(version));
        if (found == null) {
            throw Status.notFound("model '" + name + "' has no version " + version + "; loaded versions are "
                    + loaded.versions().keySet()).asException();
        }
        return found;
    }

    /** The loaded versions of {@code name}, oldest first; empty if none. */
    public List<Long> versions(String name) {
        LoadedModel loaded = models.get(name);
        return loaded == null ? List.of() : List.copyOf(loaded.versions().keySet());
    }

    /** Every loaded version of every model, by model name and then version. */
    public List<ModelVersion> loaded() {
        List<ModelVersion> versions = new ArrayList<>();
        new TreeMap<>(models).values().forEach(model -> versions.addAll(model.versions().values()));
        return versions;
    }

    /**
     * Every model folder and every loaded model (whose folder may be gone until polling notices),
     * with each version's state: READY, or UNAVAILABLE with the reason.
     */
    public List<IndexEntry> index() {
        List<IndexEntry> entries = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(folderNames());
        names.addAll(models.keySet());
        for (String name : names) {
            LoadedModel loaded = models.get(name);
            if (loaded == null) {
                entries.add(new IndexEntry(name, "", "UNAVAILABLE", "not loaded"));
                continue;
            }
            loaded.versions().keySet().forEach(v -> entries.add(new IndexEntry(name, v.toString(), "READY", "")));
            loaded.failures().forEach((where, reason) -> entries.add(new IndexEntry(name, where, "UNAVAILABLE",
                    reason)));
        }
        return entries;
    }

    /** Unloads everything; each version closes once its requests in flight are done. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (String name : new ArrayList<>(models.keySet())) {
            LoadedModel loaded = models.remove(name);
            if (loaded != null) {
                loaded.retire();
            }
        }
    }

    /**
     * Loads {@code name} and puts it in place of what was loaded, logging what changed and why.
     * Only a folder change keeps the unchanged versions; a client's load compiles every version.
     */
    private LoadedModel load(String name, Cause cause) {
        LoadedModel current = models.get(name);
        LoadedModel loaded = cause == Cause.FOLDER_CHANGED && current != null ? loader.reload(name, current)
                : loader.load(name);
        boolean sharesVersions = current != null && loaded.versions().values().stream().anyMatch(current::keeps);
        LoadedModel previous;
        synchronized (this) {
            previous = models.get(name);
            // Closed, or (polling being the only reloader, a bug) replaced meanwhile: the versions taken may be retired.
            if (closed || sharesVersions && previous != current) {
                retireUnshared(loaded, current);
                throw Status.unavailable(closed ? "the model repository is closed"
                        : "model '" + name + "' was loaded again while this load ran; retry").asException();
            }
            models.put(name, loaded);
        }
        List<Long> retired = previous == null ? List.of() : previous.retireReplacedBy(loaded);
        logLoad(name, cause, previous, loaded, retired);
        if (!loaded.versions().isEmpty()) {
            loadEnsemblesAwaiting(name);
        }
        return loaded;
    }

    /**
     * Loads again each ensemble that loaded no version and runs model {@code name}, which now
     * serves: a member that was missing, failed or lacked a tensor may be what held it back.
     */
    private void loadEnsemblesAwaiting(String name) {
        for (Map.Entry<String, LoadedModel> model : new TreeMap<>(models).entrySet()) {
            if (model.getValue().awaits(name)) {
                load(model.getKey(), Cause.MEMBER_LOADED);
            }
        }
    }

    /** Retires the versions of {@code loaded} that {@code source} does not also hold. */
    private static void retireUnshared(LoadedModel loaded, LoadedModel source) {
        loaded.versions().values().stream().filter(version -> source == null || !source.keeps(version))
                .forEach(ModelVersion::retire);
    }

    private static void unload(String name, LoadedModel loaded, Cause cause) {
        loaded.retire();
        EVENTS.info("model '{}' unloaded ({}): versions {}", name, cause.text, loaded.versions().keySet());
    }

    private static void logLoad(String name, Cause cause, LoadedModel previous, LoadedModel loaded,
                                List<Long> retired) {
        loaded.failures().forEach((version, reason) -> EVENTS.warn("model '{}'{} failed to load ({}): {}", name,
                version.isEmpty() ? "" : " version " + version, cause.text, reason));
        boolean wasServing = previous != null && !previous.versions().isEmpty();
        if (loaded.versions().isEmpty()) {
            if (wasServing) {
                EVENTS.warn("model '{}' is unavailable ({}): no version loaded, versions {} unloaded", name,
                        cause.text, previous.versions().keySet());
            }
        } else if (wasServing) {
            List<Long> compiled = loaded.versions().entrySet().stream()
                    .filter(version -> !previous.keeps(version.getValue())).map(Map.Entry::getKey).toList();
            EVENTS.info("model '{}' reloaded ({}): versions {}, compiled {}, retired {}", name, cause.text,
                    loaded.versions().keySet(), compiled, retired);
        } else {
            EVENTS.info("model '{}' loaded ({}): versions {}", name, cause.text, loaded.versions().keySet());
        }
    }

    private List<String> folderNames() {
        List<String> names = new ArrayList<>();
        for (Path folder : ModelLoader.entries(root)) {
            String name = folder.getFileName().toString();
            if (Files.isDirectory(folder) && NAME.matcher(name).matches()) {
                names.add(name);
            }
        }
        Collections.sort(names);
        return names;
    }

    private static void requireName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw Status.invalidArgument("'" + name + "' is not a valid model name: use 1 to 128 letters, digits,"
                    + " '_', '.' or '-', starting with a letter or digit").asException();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw Status.unavailable("the server is shutting down").asException();
        }
    }
}
