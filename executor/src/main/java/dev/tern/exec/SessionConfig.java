package dev.tern.exec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a model is compiled: threads, graph optimization, memory, profiling, shapes fixed in
 * advance, and the execution provider. Immutable; make one with {@link #builder()} or take
 * {@link #defaults()}.
 */
public final class SessionConfig {
    private static final SessionConfig DEFAULTS = builder().build();

    private final int intraOpThreads;
    private final int interOpThreads;
    private final boolean intraOpSpinning;
    private final OptimizationLevel optimizationLevel;
    private final ExecutionMode executionMode;
    private final boolean memoryArena;
    private final boolean deterministicCompute;
    private final Path profilingFile;
    private final Map<String, Long> freeDimensions;
    private final Provider provider;
    private final int deviceId;
    private final boolean cpuFallback;

    private SessionConfig(Builder builder) {
        this.intraOpThreads = builder.intraOpThreads;
        this.interOpThreads = builder.interOpThreads;
        this.intraOpSpinning = builder.intraOpSpinning;
        this.optimizationLevel = builder.optimizationLevel;
        this.executionMode = builder.executionMode;
        this.memoryArena = builder.memoryArena;
        this.deterministicCompute = builder.deterministicCompute;
        this.profilingFile = builder.profilingFile;
        this.freeDimensions = Map.copyOf(builder.freeDimensions);
        this.provider = builder.provider;
        this.deviceId = builder.deviceId;
        this.cpuFallback = builder.cpuFallback;
    }

    /** ONNX Runtime's defaults on the CPU: its own thread counts, all optimizations, sequential, arena on. */
    public static SessionConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Threads inside one operator; 0 lets ONNX Runtime choose (one per physical core). */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** Threads running independent operators in {@link ExecutionMode#PARALLEL}; 0 lets ONNX Runtime choose. */
    public int interOpThreads() {
        return interOpThreads;
    }

    /**
     * Whether intra-op threads spin for a while after a parallel section, waiting for the next
     * (ONNX Runtime's default), instead of blocking at once.
     */
    public boolean intraOpSpinning() {
        return intraOpSpinning;
    }

    public OptimizationLevel optimizationLevel() {
        return optimizationLevel;
    }

    public ExecutionMode executionMode() {
        return executionMode;
    }

    /** Whether the CPU allocator keeps freed memory in an arena for reuse. */
    public boolean memoryArena() {
        return memoryArena;
    }

    /** Whether kernels must choose deterministic algorithms where they have a choice. */
    public boolean deterministicCompute() {
        return deterministicCompute;
    }

    /**
     * The prefix ONNX Runtime writes its JSON profile under (it appends a timestamp), if
     * profiling is on; {@link CompiledModel#endProfiling()} says the file's full name.
     */
    public Optional<Path> profilingFile() {
        return Optional.ofNullable(profilingFile);
    }

    /** Symbolic dimensions fixed in advance, by name, so ONNX Runtime can plan for them. */
    public Map<String, Long> freeDimensions() {
        return freeDimensions;
    }

    public Provider provider() {
        return provider;
    }

    /** The device index for a GPU provider. */
    public int deviceId() {
        return deviceId;
    }

    /** Whether an unavailable GPU provider falls back to the CPU (logged once) instead of failing. */
    public boolean cpuFallback() {
        return cpuFallback;
    }

    @Override
    public String toString() {
        return "SessionConfig(provider " + provider + (provider == Provider.CPU ? "" : ":" + deviceId)
                + (cpuFallback ? " or CPU" : "") + ", threads " + intraOpThreads + "/" + interOpThreads
                + (intraOpSpinning ? "" : " without spinning")
                + ", " + optimizationLevel + ", " + executionMode + ", arena " + memoryArena
                + ", deterministic " + deterministicCompute + ", free dims " + freeDimensions
                + (profilingFile == null ? "" : ", profiling to " + profilingFile) + ")";
    }

    /** Builds a {@link SessionConfig}; every setter checks its argument at once. */
    public static final class Builder {
        private int intraOpThreads;
        private int interOpThreads;
        private boolean intraOpSpinning = true;
        private OptimizationLevel optimizationLevel = OptimizationLevel.ALL;
        private ExecutionMode executionMode = ExecutionMode.SEQUENTIAL;
        private boolean memoryArena = true;
        private boolean deterministicCompute;
        private Path profilingFile;
        private final Map<String, Long> freeDimensions = new LinkedHashMap<>();
        private Provider provider = Provider.CPU;
        private int deviceId;
        private boolean cpuFallback;

        private Builder() {
        }

        /** @throws IllegalArgumentException if {@code threads} is negative */
        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = requireThreads("intra-op", threads);
            return this;
        }

        /**
         * Whether intra-op threads spin after a parallel section (default) or block at once.
         * Spinning saves a wake-up when runs follow each other closely on cores of their own;
         * where other sessions and a server's transport threads share the cores, the spinning
         * threads take CPU from them (measured: batched runs of a small model on 2 cores lost a
         * third to a half of their throughput to it).
         */
        public Builder intraOpSpinning(boolean allowed) {
            this.intraOpSpinning = allowed;
            return this;
        }

        /** @throws IllegalArgumentException if {@code threads} is negative */
        public Builder interOpThreads(int threads) {
            this.interOpThreads = requireThreads("inter-op", threads);
            return this;
        }

        public Builder optimizationLevel(OptimizationLevel level) {
            this.optimizationLevel = Objects.requireNonNull(level, "level");
            return this;
        }

        public Builder executionMode(ExecutionMode mode) {
            this.executionMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder memoryArena(boolean enabled) {
            this.memoryArena = enabled;
            return this;
        }

        public Builder deterministicCompute(boolean enabled) {
            this.deterministicCompute = enabled;
            return this;
        }

        /** Turns profiling on, writing under {@code filePrefix}; {@code null} turns it off. */
        public Builder profilingFile(Path filePrefix) {
            this.profilingFile = filePrefix;
            return this;
        }

        /**
         * Fixes the symbolic dimension {@code name} (for example "batch") to {@code size} in every
         * input and output that uses it; runs must then use that size.
         *
         * @throws IllegalArgumentException if the name is empty or the size below 1
         */
        public Builder freeDimension(String name, long size) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a free dimension needs a non-empty name");
            }
            if (size < 1) {
                throw new IllegalArgumentException("free dimension '" + name + "' must be at least 1, found " + size);
            }
            freeDimensions.put(name, size);
            return this;
        }

        /** Runs on the CPU (the default). */
        public Builder cpu() {
            this.provider = Provider.CPU;
            this.deviceId = 0;
            return this;
        }

        /**
         * Runs on CUDA device {@code deviceId}. Without the GPU build of ONNX Runtime, its
         * libraries or the device, compiling fails with {@link ProviderUnavailableException}
         * unless {@link #cpuFallback(boolean)} allows the CPU instead.
         *
         * @throws IllegalArgumentException if {@code deviceId} is negative
         */
        public Builder cuda(int deviceId) {
            if (deviceId < 0) {
                throw new IllegalArgumentException("CUDA device id must be >= 0, found " + deviceId);
            }
            this.provider = Provider.CUDA;
            this.deviceId = deviceId;
            return this;
        }

        /** Whether an unavailable GPU provider falls back to the CPU, logging that once. */
        public Builder cpuFallback(boolean allowed) {
            this.cpuFallback = allowed;
            return this;
        }

        public SessionConfig build() {
            return new SessionConfig(this);
        }

        private static int requireThreads(String kind, int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException(kind + " threads must be >= 0 (0 lets ONNX Runtime choose), found "
                        + threads);
            }
            return threads;
        }
    }
}
