package dev.tern.server.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.server.ModelControl;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of a repository folder laid out as {@code <root>/<model>/<version>/model.onnx},
 * with an optional {@code <root>/<model>/config.json}; versions are positive integers.
 *
 * <p>A model or version that fails to load is logged, listed in the {@link #index()} with the
 * reason, and the others keep serving. Names from clients are checked against a strict
 * pattern before they touch the file system, so none reaches outside the root.
 *
 * <p>Thread-safe. Owns every compiled model it loads; the runtime stays the caller's.
 */
public final class ModelRepository implements AutoCloseable {
    /** Model names a client may use: no separators, no "." or "..", nothing a shell or URL must escape. */
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");
    private static final String MODEL_FILE = "model.onnx";
    private static final String CONFIG_FILE = "config.json";
    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

    private final Path root;
    private final Runtime runtime;
    private final ModelControl control;
    private final ServerMetrics metrics;
    private final Map<String, ModelEntry> models = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One model as last loaded: its loaded versions, and why others failed. */
    private record ModelEntry(NavigableMap<Long, ModelVersion> versions, Map<String, String> failures,
                              Fingerprint fingerprint) {
    }

    /** What a model folder held when it was loaded, so polling can tell when it changed. */
    record Fingerprint(List<String> files) {
    }

    /** A model in the index: one version's state, or the model's own failure when version is empty. */
    public record IndexEntry(String name, String version, String state, String reason) {
    }

    /**
     * A repository over {@code root}, with nothing loaded yet: call {@link #loadAll()}. Batching
     * models record into {@code metrics}.
     *
     * @throws IllegalArgumentException if {@code root} is not a folder
     */
    public ModelRepository(Path root, Runtime runtime, ModelControl control, ServerMetrics metrics) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("model repository " + root + " does not exist or is not a folder");
        }
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve model repository " + root, e);
        }
        this.runtime = runtime;
        this.control = control;
        this.metrics = metrics;
    }

    public ModelControl control() {
        return control;
    }

    public Path root() {
        return root;
    }

    /** Loads every model folder in the repository; failures are recorded, not thrown. */
    public void loadAll() {
        for (String name : folderNames()) {
            loadQuietly(name);
        }
    }

    /**
     * Loads {@code name} again if its folder changed since it was loaded, loads new folders,
     * and unloads models whose folder is gone. What polling runs.
     */
    public void rescan() {
        List<String> present = folderNames();
        for (String name : present) {
            ModelEntry entry = models.get(name);
            if (entry == null || !entry.fingerprint().equals(fingerprint(root.resolve(name)))) {
                loadQuietly(name);
            }
        }
        for (String name : new ArrayList<>(models.keySet())) {
            if (!present.contains(name)) {
                LOG.info("model '{}': its folder is gone; unloading", name);
                retire(models.remove(name));
            }
        }
    }

    /**
     * Loads or reloads model {@code name}: new versions serve as soon as they are compiled,
     * old ones finish their requests in flight, then close.
     *
     * @throws StatusException INVALID_ARGUMENT for a malformed name or a model none of whose versions
     *     load, NOT_FOUND if the repository has no such folder
     */
    public void load(String name) {
        requireName(name);
        Path folder = root.resolve(name);
        if (!Files.isDirectory(folder)) {
            throw Status.notFound("model repository " + root + " has no model '" + name + "'").asException();
        }
        ModelEntry entry = loadQuietly(name);
        if (entry.versions().isEmpty()) {
            throw Status.invalidArgument("model '" + name + "' failed to load: " + entry.failures()).asException();
        }
    }

    /**
     * Unloads every version of {@code name} once its requests in flight are done.
     *
     * @throws StatusException NOT_FOUND if the model is not loaded
     */
    public void unload(String name) {
        requireName(name);
        ModelEntry entry = models.remove(name);
        if (entry == null) {
            throw Status.notFound("model '" + name + "' is not loaded").asException();
        }
        LOG.info("model '{}' unloaded", name);
        retire(entry);
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
        if (!version.isEmpty() && !VERSION.matcher(version).matches()) {
            throw Status.invalidArgument("model '" + name + "': version must be a positive integer, found '"
                    + version + "'").asException();
        }
        ModelEntry entry = models.get(name);
        if (entry == null) {
            throw Status.notFound("no model '" + name + "' is loaded; loaded models are "
                    + new TreeMap<>(models).keySet()).asException();
        }
        if (entry.versions().isEmpty()) {
            throw Status.unavailable("model '" + name + "' failed to load: " + entry.failures()).asException();
        }
        if (version.isEmpty()) {
            return entry.versions().lastEntry().getValue();
        }
        ModelVersion found = entry.versions().get(Long.parseLong(version));
        if (found == null) {
            throw Status.notFound("model '" + name + "' has no version " + version + "; loaded versions are "
                    + entry.versions().keySet()).asException();
        }
        return found;
    }

    /** The loaded versions of {@code name}, oldest first; empty if none. */
    public List<Long> versions(String name) {
        ModelEntry entry = models.get(name);
        return entry == null ? List.of() : List.copyOf(entry.versions().keySet());
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
            ModelEntry entry = models.get(name);
            if (entry == null) {
                entries.add(new IndexEntry(name, "", "UNAVAILABLE", "not loaded"));
                continue;
            }
            entry.versions().keySet().forEach(v -> entries.add(new IndexEntry(name, v.toString(), "READY", "")));
            entry.failures().forEach((where, reason) -> entries.add(new IndexEntry(name, where, "UNAVAILABLE", reason)));
        }
        return entries;
    }

    /** Unloads everything; each version closes once its requests in flight are done. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (String name : new ArrayList<>(models.keySet())) {
            retire(models.remove(name));
        }
    }

    private ModelEntry loadQuietly(String name) {
        Path folder = root.resolve(name);
        Fingerprint fingerprint = fingerprint(folder);
        NavigableMap<Long, ModelVersion> versions = new TreeMap<>();
        Map<String, String> failures = new TreeMap<>();
        ModelConfig config = null;
        try {
            config = ModelConfig.read(folder.resolve(CONFIG_FILE));
        } catch (IOException | IllegalArgumentException e) {
            failures.put("", "bad " + CONFIG_FILE + ": " + e.getMessage());
        }
        if (config != null) {
            for (Path versionFolder : list(folder)) {
                loadVersion(name, versionFolder, config, versions, failures);
            }
            if (versions.isEmpty() && failures.isEmpty()) {
                failures.put("", "no version folder (1, 2, ...) holds " + MODEL_FILE);
            }
        }
        failures.forEach((version, reason) -> LOG.warn("model '{}'{} failed to load: {}", name,
                version.isEmpty() ? "" : " version " + version, reason));
        ModelEntry entry = new ModelEntry(Collections.unmodifiableNavigableMap(versions), Map.copyOf(failures),
                fingerprint);
        synchronized (this) {
            if (closed) {
                retire(entry);
                throw Status.unavailable("the model repository is closed").asException();
            }
            retire(models.put(name, entry));
        }
        if (!versions.isEmpty()) {
            LOG.info("model '{}' versions {} loaded", name, versions.keySet());
        }
        return entry;
    }

    private void loadVersion(String name, Path versionFolder, ModelConfig config,
                             NavigableMap<Long, ModelVersion> versions, Map<String, String> failures) {
        String folderName = versionFolder.getFileName().toString();
        if (!Files.isDirectory(versionFolder) || !VERSION.matcher(folderName).matches()) {
            return;
        }
        Path file = versionFolder.resolve(MODEL_FILE);
        if (!Files.isRegularFile(file)) {
            failures.put(folderName, "no " + MODEL_FILE + " in " + versionFolder);
            return;
        }
        try {
            if (!file.toRealPath().startsWith(root)) {
                failures.put(folderName, file + " links outside the model repository " + root);
                return;
            }
            long version = Long.parseLong(folderName);
            versions.put(version, open(name, version, file, config));
        } catch (IOException | RuntimeException e) {
            failures.put(folderName, e.getMessage());
        }
    }

    /** Compiles {@code config.instanceCount()} instances of {@code file}; closes them all if any step fails. */
    private ModelVersion open(String name, long version, Path file, ModelConfig config) {
        List<CompiledModel> instances = new ArrayList<>();
        try {
            for (int i = 0; i < config.instanceCount(); i++) {
                instances.add(runtime.open(file, config.sessionConfig()));
            }
            return new ModelVersion(name, version, instances, config, metrics);
        } catch (RuntimeException e) {
            instances.forEach(CompiledModel::close);
            throw e;
        }
    }

    private static void retire(ModelEntry entry) {
        if (entry != null) {
            entry.versions().values().forEach(ModelVersion::retire);
        }
    }

    private List<String> folderNames() {
        List<String> names = new ArrayList<>();
        for (Path folder : list(root)) {
            String name = folder.getFileName().toString();
            if (Files.isDirectory(folder) && MODEL_NAME.matcher(name).matches()) {
                names.add(name);
            }
        }
        Collections.sort(names);
        return names;
    }

    private static Fingerprint fingerprint(Path folder) {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder, 2)) {
            walk.filter(Files::isRegularFile).sorted().forEach(file -> {
                try {
                    files.add(folder.relativize(file) + "@" + Files.getLastModifiedTime(file).toMillis()
                            + ":" + Files.size(file));
                } catch (IOException e) {
                    files.add(folder.relativize(file) + "@unreadable");
                }
            });
        } catch (IOException | UncheckedIOException e) {
            files.add("unreadable: " + e.getMessage());
        }
        return new Fingerprint(files);
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", folder, e.toString());
            return List.of();
        }
    }

    private static void requireName(String name) {
        if (!MODEL_NAME.matcher(name).matches()) {
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
