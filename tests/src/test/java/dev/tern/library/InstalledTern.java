package dev.tern.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tern as this build installed it into the local Maven repository. A test of the installed
 * artifacts is only worth something if they are the ones this build produced, so
 * {@link #requireInstalledByThisBuild()} checks that first.
 */
final class InstalledTern {
    static final String GROUP_ID = "dev.tern";
    static final String PARENT = "tern-parent";
    static final String BOM = "tern-bom";

    private final Path localRepository;
    private final Path buildRoot;
    private final String version;

    private InstalledTern(Path localRepository, Path buildRoot, String version) {
        this.localRepository = localRepository;
        this.buildRoot = buildRoot;
        this.version = version;
    }

    /** The installation of the build running this test, from the properties tests/pom.xml passes. */
    static InstalledTern ofThisBuild() {
        return new InstalledTern(Path.of(BuildProperty.of("tern.localRepository")),
                Path.of(BuildProperty.of("tern.buildRoot")).normalize(), BuildProperty.of("tern.version"));
    }

    Path localRepository() {
        return localRepository;
    }

    String version() {
        return version;
    }

    /** The installed file {@code <artifactId>-<version>[-<classifier>].<extension>}. */
    Path artifact(String artifactId, String classifier, String extension) {
        String suffix = classifier.isEmpty() ? "" : "-" + classifier;
        return localRepository.resolve(GROUP_ID.replace('.', '/')).resolve(artifactId).resolve(version)
                .resolve(artifactId + "-" + version + suffix + "." + extension);
    }

    Path jar(TernModule module) {
        return artifact(module.artifactId(), "", "jar");
    }

    Path pom(String artifactId) {
        return artifact(artifactId, "", "pom");
    }

    /**
     * Fails, listing every difference, unless each module's installed jar is the one this build
     * packaged (the one on this test's class path, in the module's {@code target} folder) and
     * each installed pom is the reactor's {@code pom.xml}, the parent's and the BOM's included.
     * Otherwise the tests would run against what an earlier {@code mvn install} left.
     */
    void requireInstalledByThisBuild() {
        List<String> problems = new ArrayList<>();
        for (TernModule module : TernModule.values()) {
            Path moduleRoot = buildRoot.resolve(module.directory());
            Path packaged = moduleRoot.resolve("target").resolve(module.artifactId() + "-" + version + ".jar");
            Path onClassPath = location(module.apiClass());
            if (!sameFile(onClassPath, packaged)) {
                problems.add(module.artifactId() + " on the test class path is " + onClassPath
                        + ", not the jar this build packaged, " + packaged);
            } else {
                requireEqual(packaged, jar(module), problems);
            }
            requireEqual(moduleRoot.resolve("pom.xml"), pom(module.artifactId()), problems);
        }
        requireEqual(buildRoot.resolve("pom.xml"), pom(PARENT), problems);
        requireEqual(buildRoot.resolve("bom").resolve("pom.xml"), pom(BOM), problems);
        if (!problems.isEmpty()) {
            fail("Tern's artifacts in " + localRepository + " are not this build's:\n  "
                    + String.join("\n  ", problems)
                    + "\nRun `mvn install` over the whole reactor first; bin/test does.");
        }
    }

    private static void requireEqual(Path built, Path installed, List<String> problems) {
        try {
            if (!Files.exists(installed)) {
                problems.add(installed + " is missing");
            } else if (Files.mismatch(built, installed) != -1) {
                problems.add(installed + " differs from this build's " + built);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("comparing " + built + " with " + installed, e);
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            throw new UncheckedIOException("comparing " + a + " with " + b, e);
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the class path location of " + type.getName(), e);
        }
    }
}
