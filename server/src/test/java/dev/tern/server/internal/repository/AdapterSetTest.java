package dev.tern.server.internal.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.AdapterFile;
import dev.tern.exec.AdapterFormatException;
import dev.tern.exec.Runtime;
import dev.tern.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version's adapter folder loaded and rescanned with a real runtime: all or nothing, and unloading under a request. */
class AdapterSetTest {
    private static final String OWNER = "model 'm' version 1";

    @TempDir
    Path root;
    private Path version;
    private Runtime runtime;

    @BeforeEach
    void setUp() throws IOException {
        root = root.toRealPath();
        version = Files.createDirectories(root.resolve("m").resolve("1"));
        runtime = Runtime.create();
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    @Test
    void aFileThatFailsToLoadLeavesTheSetAsItWas() throws IOException {
        write("a", 1f);
        AdapterSet set = AdapterSet.load(OWNER, version, root, runtime::loadAdapter);
        write("b", 2f);
        Files.writeString(version.resolve("adapters").resolve("c.onnx_adapter"), "not an adapter");

        AdapterFormatException error = assertThrows(AdapterFormatException.class, set::rescan);

        assertTrue(error.getMessage().contains("c.onnx_adapter"), error.getMessage());
        assertEquals(List.of("a"), set.names());
        assertEquals(1, runtime.openAdapters(), "b was loaded for the failed rescan and must be closed again");
        set.close();
        assertEquals(0, runtime.openAdapters());
    }

    @Test
    void anAdapterUnloadedUnderARequestClosesWhenTheRequestIsDone() throws IOException {
        write("a", 1f);
        AdapterSet set = AdapterSet.load(OWNER, version, root, runtime::loadAdapter);
        ServedAdapter held = set.acquire("a");
        Files.delete(version.resolve("adapters").resolve("a.onnx_adapter"));

        assertEquals(new AdapterSet.Changes(List.of(), List.of(), List.of("a")), set.rescan());

        assertEquals(List.of(), set.names());
        assertFalse(held.adapter().isClosed(), "a request still holds the adapter");
        held.release();
        assertTrue(held.adapter().isClosed());
    }

    @Test
    void aChangedFileLoadsAgainAndAnUnchangedOneStays() throws IOException {
        write("a", 1f);
        write("b", 1f);
        AdapterSet set = AdapterSet.load(OWNER, version, root, runtime::loadAdapter);
        ServedAdapter before = set.acquire("b");
        before.release();
        AdapterFile.of(List.of(Tensor.ofFloats("p", new long[] {2}, 1f, 2f)))
                .write(version.resolve("adapters").resolve("a.onnx_adapter"));

        assertEquals(new AdapterSet.Changes(List.of(), List.of("a"), List.of()), set.rescan());

        ServedAdapter after = set.acquire("b");
        after.release();
        assertEquals(before.adapter(), after.adapter());
        assertEquals(2, runtime.openAdapters(), "the replaced a must be closed");
        set.close();
    }

    @Test
    void aMalformedAdapterNameFailsTheLoadNamingTheFile() throws IOException {
        write("bad name", 1f);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> AdapterSet.load(OWNER, version, root, runtime::loadAdapter));
        assertTrue(error.getMessage().startsWith(OWNER + ": adapter file "), error.getMessage());
        assertTrue(error.getMessage().contains("bad name.onnx_adapter"), error.getMessage());
        assertEquals(0, runtime.openAdapters());
    }

    @Test
    void anAdapterLinkedFromOutsideTheRepositoryIsRefused(@TempDir Path outside) throws IOException {
        Path file = outside.resolve("x.onnx_adapter");
        AdapterFile.of(List.of(Tensor.ofFloats("p", new long[] {1}, 1f))).write(file);
        Files.createSymbolicLink(Files.createDirectories(version.resolve("adapters")).resolve("x.onnx_adapter"), file);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> AdapterSet.load(OWNER, version, root, runtime::loadAdapter));
        assertTrue(error.getMessage().contains("links outside the model repository"), error.getMessage());
    }

    private void write(String name, float value) throws IOException {
        AdapterFile.of(List.of(Tensor.ofFloats("p", new long[] {1}, value)))
                .write(Files.createDirectories(version.resolve("adapters")).resolve(name + ".onnx_adapter"));
    }
}
