package dev.tern.server.internal.repository;

import dev.tern.exec.Adapter;
import dev.tern.server.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The LoRA adapters of one model version: the files {@code <version>/adapters/<name>.onnx_adapter},
 * each loaded once and shared by all the version's instances. The version's model is the base
 * the adapters were trained for, with their parameters as optional inputs.
 *
 * <p>{@link #rescan()} brings the set in line with the folder without touching the compiled
 * model: new files load, changed files load again, removed files unload. It changes all or
 * nothing: if one file fails to load, the set stays as it was. An adapter that leaves the set
 * finishes the requests that chose it before it closes. Thread-safe.
 */
public final class AdapterSet {
    /** The folder, beside a version's model file, that holds its adapters. */
    static final String FOLDER = "adapters";

    private final String owner;
    /** The adapters folder, or null for a set that {@link #none} made; then so are root and loader. */
    private final Path folder;
    private final Path root;
    private final AdapterLoader loader;
    /** Sorted by name; replaced whole, never changed in place. */
    private volatile Map<String, ServedAdapter> adapters = Map.of();
    private boolean closed;

    /**
     * What one rescan changed.
     *
     * @param loaded adapters whose files are new
     * @param reloaded adapters whose files changed
     * @param unloaded adapters whose files are gone
     */
    public record Changes(List<String> loaded, List<String> reloaded, List<String> unloaded) {
        public boolean isEmpty() {
            return loaded.isEmpty() && reloaded.isEmpty() && unloaded.isEmpty();
        }
    }

    private AdapterSet(String owner, Path folder, Path root, AdapterLoader loader) {
        this.owner = owner;
        this.folder = folder;
        this.root = root;
        this.loader = loader;
    }

    /**
     * The adapters in {@code versionFolder}'s {@value #FOLDER} folder (none if it has none), loaded.
     *
     * @param owner the version, as messages name it ("model 'm' version 1")
     * @param root the model repository, which no adapter file may leave through a link
     * @throws IllegalArgumentException naming the file for a malformed adapter name or a link out of {@code root}
     * @throws dev.tern.ir.TernException if a file is no adapter or ONNX Runtime cannot load it
     * @throws UncheckedIOException if the folder or a file cannot be read
     */
    static AdapterSet load(String owner, Path versionFolder, Path root, AdapterLoader loader) {
        AdapterSet set = new AdapterSet(owner, versionFolder.resolve(FOLDER), root, loader);
        set.rescan();
        return set;
    }

    /** A set that holds no adapter and has no folder to rescan, for versions made without one. */
    static AdapterSet none(String owner) {
        return new AdapterSet(owner, null, null, null);
    }

    /** The adapters' names, sorted. */
    public List<String> names() {
        return List.copyOf(adapters.keySet());
    }

    /**
     * The adapter {@code name}, counted as used by one more request until {@link ServedAdapter#release()}.
     *
     * @throws dev.tern.server.StatusException NOT_FOUND naming the adapter and listing the ones there are
     */
    public ServedAdapter acquire(String name) {
        // An adapter retired between lookup and acquire has been reloaded or unloaded: look again.
        while (true) {
            ServedAdapter found = adapters.get(name);
            if (found == null) {
                throw Status.notFound(owner + " has no adapter '" + name + "'; its adapters are "
                        + adapters.keySet()).asException();
            }
            if (found.tryAcquire()) {
                return found;
            }
        }
    }

    /**
     * Loads the adapter files that are new or changed since the last scan and unloads those
     * whose files are gone; all or nothing.
     *
     * @throws IllegalArgumentException naming the file for a malformed adapter name or a link out of the
     *     repository; the set is unchanged then
     * @throws dev.tern.ir.TernException if a file is no adapter or ONNX Runtime cannot load it; the set is unchanged
     * @throws UncheckedIOException if the folder or a file cannot be read; the set is unchanged
     */
    public synchronized Changes rescan() {
        if (closed || folder == null) {
            return new Changes(List.of(), List.of(), List.of());
        }
        Map<String, ServedAdapter> current = adapters;
        Map<String, ServedAdapter> next = new TreeMap<>();
        List<ServedAdapter> opened = new ArrayList<>();
        List<String> loaded = new ArrayList<>();
        List<String> reloaded = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> file : files().entrySet()) {
                String name = file.getKey();
                String stamp = stamp(file.getValue());
                ServedAdapter kept = current.get(name);
                if (kept != null && kept.fileStamp().equals(stamp)) {
                    next.put(name, kept);
                    continue;
                }
                ServedAdapter fresh = new ServedAdapter(loader.load(file.getValue()), stamp);
                opened.add(fresh);
                next.put(name, fresh);
                (kept == null ? loaded : reloaded).add(name);
            }
        } catch (RuntimeException | Error e) {
            opened.forEach(ServedAdapter::retire);
            throw e;
        }
        List<String> unloaded = new ArrayList<>();
        for (Map.Entry<String, ServedAdapter> old : current.entrySet()) {
            if (next.get(old.getKey()) != old.getValue()) {
                old.getValue().retire();
                if (!next.containsKey(old.getKey())) {
                    unloaded.add(old.getKey());
                }
            }
        }
        adapters = Collections.unmodifiableMap(next);
        return new Changes(List.copyOf(loaded), List.copyOf(reloaded), List.copyOf(unloaded));
    }

    /** Unloads every adapter, each once its requests are done; later rescans load nothing. Idempotent. */
    synchronized void close() {
        closed = true;
        adapters.values().forEach(ServedAdapter::retire);
        adapters = Map.of();
    }

    /** The adapter files of the folder by adapter name; none if there is no folder. */
    private Map<String, Path> files() {
        Map<String, Path> files = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        for (Path file : ModelLoader.entries(folder)) {
            String fileName = file.getFileName().toString();
            if (!fileName.endsWith(Adapter.ADAPTER_EXTENSION) || !Files.isRegularFile(file)) {
                continue;
            }
            String name = fileName.substring(0, fileName.length() - Adapter.ADAPTER_EXTENSION.length());
            if (!ModelRepository.NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(owner + ": adapter file " + file + " has a malformed name; an"
                        + " adapter name is 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or digit");
            }
            requireInsideRoot(file);
            files.put(name, file);
        }
        return files;
    }

    private void requireInsideRoot(Path file) {
        try {
            if (!file.toRealPath().startsWith(root)) {
                throw new IllegalArgumentException(owner + ": adapter file " + file
                        + " links outside the model repository " + root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve adapter file " + file, e);
        }
    }

    /** The file's modification time and size: what tells a rescan that it changed. */
    private static String stamp(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read adapter file " + file, e);
        }
    }
}
