package dev.tern.bench;

import dev.tern.ir.Model;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time (and, with {@code -prof gc}, allocation) per import of an ONNX model, by default the
 * fp32 all-MiniLM-L6-v2 the build unpacks, through three paths side by side:
 * <ul>
 *   <li>{@link #readMappedFile}: {@code OnnxImporter.read(Path)}, the memory-mapped zero-copy path;
 *   <li>{@link #readPreloadedBytes}: {@code OnnxImporter.read(byte[])} on bytes already in the heap;
 *   <li>{@link #readFileIntoBytes}: reading the file into a byte array, then {@code read(byte[])}.
 * </ul>
 * Retained heap after import is measured by {@link RetainedHeap}, since JMH reports allocation only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ImportBenchmark {
    /** The model to import, relative to the directory JMH runs in (the repository root). */
    @Param(RetainedHeap.DEFAULT_MODEL)
    public String model;

    private Path modelFile;
    private byte[] modelBytes;

    /** Checks the model is there and loads its bytes for {@link #readPreloadedBytes}. */
    @Setup
    public void loadModel() throws IOException {
        modelFile = RetainedHeap.requireModel(model);
        modelBytes = Files.readAllBytes(modelFile);
    }

    @Benchmark
    public Model readMappedFile() throws IOException {
        return OnnxImporter.read(modelFile);
    }

    @Benchmark
    public Model readPreloadedBytes() {
        return OnnxImporter.read(modelBytes);
    }

    @Benchmark
    public Model readFileIntoBytes() throws IOException {
        return OnnxImporter.read(Files.readAllBytes(modelFile));
    }
}
