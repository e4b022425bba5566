package dev.tern.exec.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.tern.exec.ExecutionMode;
import dev.tern.exec.ProviderUnavailableException;
import dev.tern.exec.SessionConfig;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a {@link SessionConfig} into ONNX Runtime session options, choosing the provider. */
public final class SessionOptionsFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SessionOptionsFactory.class);
    /** Fallback reasons already logged, so a service compiling many models logs each once. */
    private static final Set<String> LOGGED_FALLBACKS = ConcurrentHashMap.newKeySet();

    private SessionOptionsFactory() {
    }

    /**
     * New session options for {@code config}; the caller owns them.
     *
     * @throws ProviderUnavailableException if the requested provider cannot be used and CPU
     *     fallback is not allowed
     */
    public static SessionOptions create(SessionConfig config, String model) throws OrtException {
        SessionOptions options = new SessionOptions();
        try {
            options.setIntraOpNumThreads(config.intraOpThreads());
            options.setInterOpNumThreads(config.interOpThreads());
            if (!config.intraOpSpinning()) {
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            options.setOptimizationLevel(optLevel(config));
            options.setExecutionMode(config.executionMode() == ExecutionMode.PARALLEL
                    ? SessionOptions.ExecutionMode.PARALLEL : SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setCPUArenaAllocator(config.memoryArena());
            options.setDeterministicCompute(config.deterministicCompute());
            // The environment's severity was fixed when it was made; a session follows the logger as it is now.
            options.setSessionLogLevel(OrtLogLevel.current());
            if (config.profilingFile().isPresent()) {
                options.enableProfiling(config.profilingFile().get().toString());
            }
            for (Map.Entry<String, Long> dim : config.freeDimensions().entrySet()) {
                options.setSymbolicDimensionValue(dim.getKey(), dim.getValue());
            }
            addProvider(options, config, model);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static SessionOptions.OptLevel optLevel(SessionConfig config) {
        return switch (config.optimizationLevel()) {
            case NONE -> SessionOptions.OptLevel.NO_OPT;
            case BASIC -> SessionOptions.OptLevel.BASIC_OPT;
            case EXTENDED -> SessionOptions.OptLevel.EXTENDED_OPT;
            case ALL -> SessionOptions.OptLevel.ALL_OPT;
        };
    }

    private static void addProvider(SessionOptions options, SessionConfig config, String model) {
        switch (config.provider()) {
            case CPU -> {
                // ONNX Runtime always has the CPU provider; nothing to add.
            }
            case CUDA -> addCuda(options, config, model);
        }
    }

    private static void addCuda(SessionOptions options, SessionConfig config, String model) {
        String missing;
        Throwable cause = null;
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            missing = "the ONNX Runtime on the class path (onnxruntime " + ProcessEnvironment.get().getVersion()
                    + ") was built without CUDA; put com.microsoft.onnxruntime:onnxruntime_gpu on the class path"
                    + " instead (build with -Pcuda)";
        } else {
            try {
                options.addCUDA(config.deviceId());
                return;
            } catch (OrtException e) {
                cause = e;
                missing = "ONNX Runtime could not start CUDA device " + config.deviceId() + ": " + e.getMessage()
                        + (e.getMessage().contains("Failed to load shared library")
                                ? " (its CUDA provider needs the CUDA 12 runtime libraries, cuBLAS and cuDNN 9 on"
                                        + " the library path; ONNX Runtime's log names the one it could not load)"
                                : " (no such device, or the CUDA driver is not usable)");
            }
        }
        if (!config.cpuFallback()) {
            throw new ProviderUnavailableException("model '" + model + "': CUDA requested but " + missing
                    + "; allow SessionConfig.cpuFallback(true) to run on the CPU instead", cause);
        }
        if (LOGGED_FALLBACKS.add(missing)) {
            LOG.warn("CUDA requested but {}; running on the CPU (logged once)", missing);
        }
    }
}
