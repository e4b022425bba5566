package dev.tern.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.onnx.OnnxImporter;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Time to create (and close) a ready-to-run session for a model, four ways side by side:
 * Tern's {@code compile} of an imported model (weights handed to ORT in place), Tern's
 * {@code open} of the file, and ORT by hand from the file path and from the file's bytes.
 * Resident memory per path is measured by {@link SessionMemory}, one fresh JVM per path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SessionCreationBenchmark {
    @Param(RetainedHeap.DEFAULT_MODEL)
    public String model;

    private Path modelFile;
    private byte[] modelBytes;
    private Model imported;
    private Runtime runtime;
    private OrtEnvironment env;

    @Setup
    public void setUp() throws IOException {
        modelFile = RetainedHeap.requireModel(model);
        modelBytes = Files.readAllBytes(modelFile);
        imported = OnnxImporter.read(modelFile);
        runtime = Runtime.create();
        env = OrtEnvironment.getEnvironment();
    }

    @TearDown
    public void tearDown() {
        runtime.close();
    }

    @Benchmark
    public int ternCompile() {
        try (CompiledModel compiled = runtime.compile(imported)) {
            return compiled.inputs().size();
        }
    }

    @Benchmark
    public int ternOpen() {
        try (CompiledModel compiled = runtime.open(modelFile)) {
            return compiled.inputs().size();
        }
    }

    @Benchmark
    public long ortFromPath() throws OrtException {
        try (OrtSession session = env.createSession(modelFile.toString())) {
            return session.getNumInputs();
        }
    }

    @Benchmark
    public long ortFromBytes() throws OrtException {
        try (OrtSession session = env.createSession(modelBytes)) {
            return session.getNumInputs();
        }
    }
}
