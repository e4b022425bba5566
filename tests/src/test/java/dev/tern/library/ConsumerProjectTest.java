package dev.tern.library;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Builds and tests an application that uses Tern as a library (src/test/consumer: it imports
 * the BOM, depends on tern-train-ext and requires Tern's modules on the module path) with
 * Maven, offline, against what this build installed into the local repository. Its own test
 * loads a model from a file, runs it, fine-tunes it and checks the loss fell.
 */
class ConsumerProjectTest {
    /** The properties the consumer's pom reads: Tern's version and the ones it builds with. */
    private static final List<String> CONSUMER_PROPERTIES = List.of("tern.version", "junit.version",
            "compiler.plugin.version", "resources.plugin.version", "surefire.plugin.version");
    private static final String CONSUMER_TEST = "example.consumer.LineFitTest";
    private static final int CONSUMER_TEST_COUNT = 2;

    private static InstalledTern tern;

    @BeforeAll
    static void requireThisBuildsArtifacts() {
        tern = InstalledTern.ofThisBuild();
        tern.requireInstalledByThisBuild();
    }

    @Test
    void anApplicationBuildsOfflineAgainstTheInstalledArtifactsAndFineTunesAModel(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path project = dir.resolve("consumer");
        copyTree(Path.of(BuildProperty.of("tern.consumerProject")), project);
        Map<String, String> properties = new LinkedHashMap<>();
        CONSUMER_PROPERTIES.forEach(name -> properties.put(name, BuildProperty.of(name)));

        OfflineMaven.Result result = OfflineMaven.likeThisBuild(tern.localRepository())
                .run(project, properties, dir.resolve("maven.log"), "test");

        assertEquals(0, result.exitCode(), () -> "the consumer project's build failed:\n" + result.outputTail());
        SurefireReport report = SurefireReport.of(project, CONSUMER_TEST);
        assertEquals(new SurefireReport(CONSUMER_TEST_COUNT, 0, 0, 0), report,
                () -> "every test of " + CONSUMER_TEST + " runs and passes:\n" + result.outputTail());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(source -> {
                Path target = to.resolve(from.relativize(source).toString());
                try {
                    Files.copy(source, target);
                } catch (IOException e) {
                    throw new UncheckedIOException("copying " + source + " to " + target, e);
                }
            });
        }
    }
}
