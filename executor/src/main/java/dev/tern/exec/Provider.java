package dev.tern.exec;

/** The hardware a model runs on. */
public enum Provider {
    /** The CPU; always available. */
    CPU,
    /**
     * An NVIDIA GPU through ONNX Runtime's CUDA provider. Needs the {@code onnxruntime_gpu}
     * artifact on the class path (build with {@code -Pcuda}), the CUDA and cuDNN libraries,
     * and a device.
     */
    CUDA
}
