package dev.tern.server.internal.repository;

import dev.tern.exec.CompiledModel;
import dev.tern.ir.TernException;
import dev.tern.server.TextEncoderFactory;
import dev.tern.server.internal.ServerMetrics;
import dev.tern.server.internal.ensemble.EnsembleInstance;
import dev.tern.server.internal.ensemble.EnsemblePlan;
import dev.tern.server.internal.ensemble.MemberCheck;
import dev.tern.server.internal.ensemble.MemberLookup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one model folder, {@code <root>/<model>/}: its optional {@code config.json}, then every
 * version folder's {@code model.onnx}, compiling each version's instances, loading its LoRA
 * adapters ({@link AdapterSet}) and tokenizer ({@link VersionTokenizer}), and running its warm-up ({@link ModelWarmup}). A version that fails
 * for a reason the model or its files explain (a Tern error, a rejected config, an I/O error) is
 * recorded with that reason and the others load. Any other exception is a bug: it is thrown, after
 * every instance compiled so far is closed. A reload for polling keeps the versions whose files,
 * and the files all versions share, did not change, so only new and changed versions compile.
 */
final class ModelLoader {
    /** Version folder names: positive integers. */
    static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");
    static final String MODEL_FILE = "model.onnx";
    static final String CONFIG_FILE = "config.json";
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    /**
     * How many requests an ensemble version runs at once. Each run's thread waits on the members'
     * schedulers, so this bounds how many of its requests can meet in a member's batch.
     */
    static final int ENSEMBLE_CONCURRENT_RUNS = 16;

    private final Path root;
    private final ModelCompiler compiler;
    private final AdapterLoader adapterLoader;
    private final Optional<TextEncoderFactory> textEncoders;
    private final ServerMetrics metrics;
    private final MemberLookup members;

    /**
     * @param root the repository folder, a real path (links resolved), that no model or adapter file may leave
     * @param textEncoders opens the tokenizers of text models; without one no model takes text
     * @param members where ensembles find their member models when they run
     */
    ModelLoader(Path root, ModelCompiler compiler, AdapterLoader adapterLoader,
                Optional<TextEncoderFactory> textEncoders, ServerMetrics metrics, MemberLookup members) {
        this.root = root;
        this.compiler = compiler;
        this.adapterLoader = adapterLoader;
        this.textEncoders = textEncoders;
        this.metrics = metrics;
        this.members = members;
    }

    /** Whether model {@code name}'s config.json makes it an ensemble; false if it cannot be read (its load says why). */
    boolean isEnsemble(String name) {
        try {
            return EnsembleConfig.readIfEnsemble(root.resolve(name).resolve(CONFIG_FILE)).isPresent();
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Loads model {@code name}, compiling every version; the caller owns the versions that loaded. */
    LoadedModel load(String name) {
        return load(name, null);
    }

    /**
     * Loads model {@code name} again, taking from {@code previous} every version whose folder and
     * the model's shared files are unchanged; the rest compile. The result owns the versions
     * taken; {@code previous} still owns those it alone holds.
     */
    LoadedModel reload(String name, LoadedModel previous) {
        return load(name, previous);
    }

    private LoadedModel load(String name, LoadedModel previous) {
        Path folder = root.resolve(name);
        Fingerprint fingerprint = Fingerprint.of(folder);
        Unchanged unchanged = new Unchanged(previous, fingerprint);
        NavigableMap<Long, ModelVersion> versions = new TreeMap<>();
        Map<String, String> failures = new TreeMap<>();
        ModelConfig config = null;
        try {
            Optional<EnsembleConfig> ensemble = EnsembleConfig.readIfEnsemble(folder.resolve(CONFIG_FILE));
            if (ensemble.isPresent()) {
                loadEnsemble(name, folder, ensemble.get(), versions, failures);
                return new LoadedModel(Collections.unmodifiableNavigableMap(versions), Map.copyOf(failures),
                        fingerprint, members(ensemble.get()));
            }
            config = ModelConfig.read(folder.resolve(CONFIG_FILE));
        } catch (IOException | IllegalArgumentException e) {
            failures.put("", "bad " + CONFIG_FILE + ": " + LoadFailures.reason(e));
        }
        if (config != null) {
            loadVersions(name, folder, config, unchanged, versions, failures);
            if (versions.isEmpty() && failures.isEmpty()) {
                failures.put("", "no version folder (1, 2, ...) holds " + MODEL_FILE);
            }
        }
        return new LoadedModel(Collections.unmodifiableNavigableMap(versions), Map.copyOf(failures), fingerprint,
                Set.of());
    }

    private static Set<String> members(EnsembleConfig ensemble) {
        return ensemble.steps().stream().map(EnsembleStep::modelName).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Loads an ensemble: one version per version folder (which holds no model file), or version 1
     * when there is none, each running the steps in their checked order. When a member is not
     * loaded in the version a step asks for, or lacks a tensor a step maps, every version is
     * recorded in {@code failures} with the reason ({@link MemberCheck}).
     *
     * @throws IllegalArgumentException naming the config file and step for a step that runs the
     *     ensemble itself, a tensor consumed but never produced, or a cycle
     */
    private void loadEnsemble(String name, Path folder, EnsembleConfig ensemble,
                              NavigableMap<Long, ModelVersion> versions, Map<String, String> failures) {
        for (EnsembleStep step : ensemble.steps()) {
            if (step.modelName().equals(name)) {
                throw new IllegalArgumentException(ensemble.file() + ": '" + step.field() + ".model_name' runs"
                        + " model '" + name + "', the ensemble itself; an ensemble cannot run itself");
            }
        }
        List<EnsembleStep> order = EnsemblePlan.order(ensemble);
        List<Long> numbers = entries(folder).stream().map(path -> path.getFileName().toString())
                .filter(entry -> VERSION.matcher(entry).matches() && Files.isDirectory(folder.resolve(entry)))
                .map(Long::parseLong).toList();
        if (numbers.isEmpty()) {
            numbers = List.of(1L);
        }
        try {
            MemberCheck.check("ensemble model '" + name + "'", order, members);
        } catch (IllegalArgumentException e) {
            numbers.forEach(version -> failures.put(version.toString(), e.getMessage()));
            return;
        }
        List<String> outputs = ensemble.outputs().stream().map(TensorOverride::name).toList();
        ModelConfig config = ModelConfig.forEnsemble(ensemble.maxBatchSize(), ENSEMBLE_CONCURRENT_RUNS);
        for (long version : numbers) {
            EnsembleInstance runner = new EnsembleInstance(ModelVersion.describe(name, version), order, outputs,
                    members);
            versions.put(version, ModelVersion.ensemble(name, version, ensemble, runner, config, metrics));
        }
    }

    /** The entries of {@code folder}, sorted; none if it cannot be listed (logged). */
    static List<Path> entries(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot list {}: {}", folder, e.toString());
            return List.of();
        }
    }

    private void loadVersions(String name, Path folder, ModelConfig config, Unchanged unchanged,
                              NavigableMap<Long, ModelVersion> versions, Map<String, String> failures) {
        try {
            for (Path versionFolder : entries(folder)) {
                loadVersion(name, versionFolder, config, unchanged, versions, failures);
            }
        } catch (RuntimeException | Error e) {
            // A bug, not a bad model: let it surface, but leave no version compiled here open.
            versions.values().stream().filter(version -> !unchanged.kept(version)).forEach(ModelVersion::retire);
            throw e;
        }
    }

    private void loadVersion(String name, Path versionFolder, ModelConfig config, Unchanged unchanged,
                             NavigableMap<Long, ModelVersion> versions, Map<String, String> failures) {
        String folderName = versionFolder.getFileName().toString();
        if (!Files.isDirectory(versionFolder) || !VERSION.matcher(folderName).matches()) {
            return;
        }
        ModelVersion kept = unchanged.version(folderName);
        if (kept != null) {
            versions.put(kept.version(), kept);
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
            versions.put(version, openWarm(name, version, file, config));
        } catch (IOException | UncheckedIOException | TernException | IllegalArgumentException e) {
            failures.put(folderName, LoadFailures.reason(e));
        }
    }

    /** The versions of a previous load that a reload keeps: those whose files did not change. */
    private record Unchanged(LoadedModel previous, Fingerprint now) {
        /** The loaded version in {@code folderName} if neither its files nor the shared ones changed; else null. */
        ModelVersion version(String folderName) {
            if (previous == null || !previous.fingerprint().shared().equals(now.shared())
                    || !previous.fingerprint().version(folderName).equals(now.version(folderName))) {
                return null;
            }
            return previous.versions().get(Long.parseLong(folderName));
        }

        boolean kept(ModelVersion version) {
            return previous != null && previous.keeps(version);
        }
    }

    /**
     * Compiles the version and runs its warm-up before anyone can see it, so that it is READY
     * only once warmed up; retires it if the warm-up fails.
     */
    private ModelVersion openWarm(String name, long version, Path file, ModelConfig config) throws IOException {
        ModelVersion opened = open(name, version, file, config);
        try {
            ModelWarmup.run(opened, root.resolve(name));
        } catch (IOException | RuntimeException | Error e) {
            opened.retire();
            throw e;
        }
        return opened;
    }

    /**
     * Compiles {@code config.instanceCount()} instances of {@code file} and loads the adapters
     * beside it; closes them all if any step fails.
     */
    private ModelVersion open(String name, long version, Path file, ModelConfig config) throws IOException {
        List<CompiledModel> instances = new ArrayList<>();
        AdapterSet adapters = null;
        VersionTokenizer tokenizer = null;
        String model = ModelVersion.describe(name, version);
        try {
            for (int i = 0; i < config.instanceCount(); i++) {
                instances.add(compiler.open(file, config.sessionConfig()));
            }
            adapters = AdapterSet.load(model, file.getParent(), root, adapterLoader);
            tokenizer = VersionTokenizer.load(model, file.getParent(), root,
                    ModelVersion.servedInputs(name, version, instances, config), config, textEncoders);
            return new ModelVersion(name, version, instances, adapters, tokenizer, config, metrics);
        } catch (IOException | RuntimeException | Error e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            if (adapters != null) {
                adapters.close();
            }
            instances.forEach(CompiledModel::close);
            throw e;
        }
    }
}
