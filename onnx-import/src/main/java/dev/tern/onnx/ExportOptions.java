package dev.tern.onnx;

import java.util.Optional;

/**
 * How {@link OnnxExporter} writes a model to a path. Immutable; made by {@link #builder()}.
 * Whatever is asked here, a model whose tensors would push it past 2 GiB (the most one
 * protobuf message can hold) always gets external data.
 */
public final class ExportOptions {
    /** Tensors of at least this many bytes go to external data unless told otherwise. */
    public static final long DEFAULT_SIZE_THRESHOLD = 1024;

    private static final ExportOptions DEFAULTS = builder().build();

    private final boolean externalData;
    private final long sizeThreshold;
    private final String externalDataFileName;

    private ExportOptions(Builder builder) {
        this.externalData = builder.externalData;
        this.sizeThreshold = builder.sizeThreshold;
        this.externalDataFileName = builder.externalDataFileName;
    }

    /** Everything inline (unless over 2 GiB), threshold {@value #DEFAULT_SIZE_THRESHOLD} bytes. */
    public static ExportOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether tensors of at least {@link #sizeThreshold()} bytes go to an external data file. */
    public boolean externalData() {
        return externalData;
    }

    public long sizeThreshold() {
        return sizeThreshold;
    }

    /** The external data file's name, or empty for the default {@code <model file name>.data}. */
    public Optional<String> externalDataFileName() {
        return Optional.ofNullable(externalDataFileName);
    }

    /** Builds {@link ExportOptions}; each setter checks its argument. */
    public static final class Builder {
        private boolean externalData;
        private long sizeThreshold = DEFAULT_SIZE_THRESHOLD;
        private String externalDataFileName;

        private Builder() {
        }

        public Builder externalData(boolean enabled) {
            this.externalData = enabled;
            return this;
        }

        /**
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder sizeThreshold(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("sizeThreshold must be >= 0, got " + bytes);
            }
            this.sizeThreshold = bytes;
            return this;
        }

        /**
         * The name of the data file, written beside the model.
         *
         * @throws IllegalArgumentException if it is empty, {@code .} or {@code ..}, or contains a
         *     path separator: readers only look inside the model's folder
         */
        public Builder externalDataFileName(String fileName) {
            if (fileName == null || fileName.isEmpty() || fileName.equals(".") || fileName.equals("..")
                    || fileName.contains("/") || fileName.contains("\\")) {
                throw new IllegalArgumentException("externalDataFileName must be a plain file name, got '"
                        + fileName + "'");
            }
            this.externalDataFileName = fileName;
            return this;
        }

        public ExportOptions build() {
            return new ExportOptions(this);
        }
    }
}
