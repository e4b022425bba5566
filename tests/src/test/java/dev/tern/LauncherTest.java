package dev.tern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/tern}'s first build, as a user sees it with stderr going to a file or a pipe: a
 * line saying what is happening before Maven starts, a line per module and per 20 MB
 * downloaded, Maven's errors when it fails, and no terminal escape codes. Maven is replaced by
 * a script that replays a recorded build log, and {@code java} by one that prints its arguments.
 */
class LauncherTest {
    private static final Path CHECKOUT = Path.of(System.getProperty("tern.root"));

    @TempDir
    Path temporary;

    private Path checkout;
    private Path fakeTools;

    @BeforeEach
    void layOutCheckoutAndFakeMaven() throws IOException {
        checkout = Files.createDirectories(temporary.resolve("tern"));
        Files.createDirectories(checkout.resolve("bin"));
        for (String script : List.of("tern", "build-progress")) {
            Files.copy(CHECKOUT.resolve("bin").resolve(script), checkout.resolve("bin").resolve(script),
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        fakeTools = Files.createDirectories(temporary.resolve("fake-tools"));
        writeScript("mvn", """
                #!/bin/sh
                cat "$FAKE_MAVEN_OUTPUT"
                if [ "$FAKE_MAVEN_EXIT" = 0 ]; then mkdir -p tools/target && : > tools/target/tern.jar; fi
                exit "$FAKE_MAVEN_EXIT"
                """);
        writeScript("java", """
                #!/bin/sh
                echo "java $*"
                """);
    }

    private void writeScript(String name, String text) throws IOException {
        Path script = fakeTools.resolve(name);
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void firstRunSaysWhatItBuildsAndDownloadsWithoutEscapeCodes() throws Exception {
        Launch launch = launch("first-build.log", 0);

        assertEquals(0, launch.exitCode(), launch::toString);
        assertEquals("java -jar " + checkout.resolve("tools/target/tern.jar") + " --version\n", launch.out(),
                "stdout carries only tern's own output");
        List<String> lines = launch.err().lines().toList();
        assertTrue(lines.get(0).startsWith("tern: building " + checkout.resolve("tools/target/tern.jar")
                + " with Maven"), launch::toString);
        assertTrue(lines.get(1).contains("downloads about 260 MB"), launch::toString);
        assertTrue(lines.containsAll(List.of(
                "tern: [1/3] Tern (downloaded 1 files, 0 MB)",
                "tern: [2/3] Tern graph IR (downloaded 2 files, 0 MB)",
                "tern: [2/3] Tern graph IR (downloaded 4 files, 50 MB)",
                "tern: [3/3] Tern ONNX import (downloaded 4 files, 50 MB)",
                "tern: built " + checkout.resolve("tools/target/tern.jar"))), launch::toString);
        assertFalse(launch.err().contains("\u001b"), "escape codes on a stderr that is no terminal");
        assertFalse(launch.err().contains("Downloading from"), "Maven's own lines are summarized, not copied");
    }

    @Test
    void aFailedBuildShowsMavensErrorsAndTheLog() throws Exception {
        Launch launch = launch("failed-build.log", 1);

        assertEquals(1, launch.exitCode(), launch::toString);
        assertTrue(launch.err().contains("[ERROR] /repo/graph-ir/src/main/java/dev/tern/ir/Graph.java:[12,1] class,"
                + " interface, enum, or record expected"), launch::toString);
        assertTrue(launch.err().contains("tern: the build failed; the [ERROR] lines above say why, the full log is"),
                launch::toString);
    }

    @Test
    void anUpToDateJarStartsWithoutBuilding() throws Exception {
        assertEquals(0, launch("first-build.log", 0).exitCode());

        Launch second = launch("failed-build.log", 1);

        assertEquals(0, second.exitCode(), second::toString);
        assertFalse(second.err().contains("tern: building"), second::toString);
    }

    private Launch launch(String recordedLog, int mavenExit) throws IOException, InterruptedException,
            URISyntaxException {
        Path log = Path.of(LauncherTest.class.getResource("/launcher/" + recordedLog).toURI());
        Path out = temporary.resolve("stdout");
        Path err = temporary.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder("bash", checkout.resolve("bin/tern").toString(), "--version")
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("PATH", fakeTools + ":" + environment.get("PATH"));
        environment.remove("JAVA_OPTS");
        environment.put("FAKE_MAVEN_OUTPUT", log.toString());
        environment.put("FAKE_MAVEN_EXIT", Integer.toString(mavenExit));
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "bin/tern did not finish within 60 s");
        return new Launch(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Launch(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
