package dev.tern.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One inference, four ways, side by side in one run (same model, inputs, ORT build and
 * session settings: one intra-op thread, all optimizations):
 * <ol>
 *   <li>{@link #ternRun}: Tern's executor as the README tells users to call it;
 *   <li>{@link #ortArrays}: raw ORT Java with nested Java arrays in and {@code getValue()} out,
 *       what most ORT users write;
 *   <li>{@link #ortBuffers}: raw ORT Java with direct buffers in and {@code get*Buffer()} out;
 *   <li>{@link #ortPinned}: raw ORT Java with input tensors made once over direct buffers and
 *       preallocated (pinned) outputs: the fastest hand-written ORT code.
 * </ol>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InferenceBenchmark {
    @Param({"mlp/1", "mlp/64", "minilm/1", "minilm/8", "minilm-q/1", "minilm-q/8"})
    public String benchCase;

    private Runtime runtime;
    private CompiledModel ternModel;
    private Map<String, Tensor> ternInputs;

    private OrtEnvironment env;
    private OrtSession session;
    private Map<String, Object> arrayInputs;
    private Map<String, BenchCase.Input> bufferInputs;
    private Map<String, OnnxTensor> pinnedInputs;
    private Map<String, OnnxTensor> pinnedOutputs;

    @Setup(Level.Trial)
    public void setUp() throws IOException, OrtException {
        BenchCase bench = BenchCase.load(benchCase, Files.createTempDirectory("tern-bench"));
        runtime = Runtime.create();
        ternModel = runtime.compile(bench.model(), SessionConfig.builder().intraOpThreads(1).build());
        ternInputs = bench.ternInputs();

        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(bench.modelFile().toString(), options);
        }
        bufferInputs = bench.inputs();
        arrayInputs = new LinkedHashMap<>();
        pinnedInputs = new LinkedHashMap<>();
        for (Map.Entry<String, BenchCase.Input> input : bufferInputs.entrySet()) {
            arrayInputs.put(input.getKey(), JavaArrays.of(input.getValue()));
            pinnedInputs.put(input.getKey(), ortTensor(input.getValue()));
        }
        pinnedOutputs = new LinkedHashMap<>();
        try (OrtSession.Result probe = session.run(pinnedInputs)) {
            for (Map.Entry<String, OnnxValue> output : probe) {
                long[] shape = ((OnnxTensor) output.getValue()).getInfo().getShape();
                long elements = 1;
                for (long dim : shape) {
                    elements *= dim;
                }
                ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(elements * 4)).order(ByteOrder.nativeOrder());
                pinnedOutputs.put(output.getKey(), OnnxTensor.createTensor(env, buffer.asFloatBuffer(), shape));
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        OnnxValue.close(pinnedInputs);
        OnnxValue.close(pinnedOutputs);
        session.close();
        ternModel.close();
        runtime.close();
    }

    @Benchmark
    public void ternRun(Blackhole sink) {
        Map<String, Tensor> outputs = ternModel.run(ternInputs);
        for (Tensor output : outputs.values()) {
            sink.consume(output.data().getFloat(0));
        }
    }

    @Benchmark
    public void ortArrays(Blackhole sink) throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Object> input : arrayInputs.entrySet()) {
                feeds.put(input.getKey(), OnnxTensor.createTensor(env, input.getValue()));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                sink.consume(result.get(0).getValue());
            }
        } finally {
            OnnxValue.close(feeds);
        }
    }

    @Benchmark
    public void ortBuffers(Blackhole sink) throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, BenchCase.Input> input : bufferInputs.entrySet()) {
                feeds.put(input.getKey(), ortTensor(input.getValue()));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                sink.consume(((OnnxTensor) result.get(0)).getFloatBuffer().get(0));
            }
        } finally {
            OnnxValue.close(feeds);
        }
    }

    @Benchmark
    public void ortPinned(Blackhole sink) throws OrtException {
        try (OrtSession.Result result = session.run(pinnedInputs, pinnedOutputs)) {
            sink.consume(result.size());
        }
    }

    /** An ORT tensor over the input's direct buffer (ORT uses the memory in place). */
    private OnnxTensor ortTensor(BenchCase.Input input) throws OrtException {
        ByteBuffer data = input.data().duplicate().order(ByteOrder.nativeOrder());
        if (input.type() == ElementType.FLOAT) {
            return OnnxTensor.createTensor(env, data.asFloatBuffer(), input.shape());
        }
        return OnnxTensor.createTensor(env, data.asLongBuffer(), input.shape());
    }
}
