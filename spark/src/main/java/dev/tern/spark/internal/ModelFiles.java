package dev.tern.spark.internal;

import java.io.Serializable;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The model file and, for a text input, the tokenizer definition, each a path every executor
 * can read or bytes held on the driver. {@link #ship} turns them into {@link Source}s for
 * tasks, broadcasting bytes once per Spark context.
 */
public final class ModelFiles implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String modelPath;
    private final byte[] modelBytes;
    private final String tokenizerPath;
    private final byte[] tokenizerBytes;
    private transient SparkContext shippedTo;
    private transient Shipped shipped;

    /** Exactly one of each pair is non-null, except that a model without text input has no tokenizer. */
    public ModelFiles(Path modelPath, byte[] modelBytes, Path tokenizerPath, byte[] tokenizerBytes) {
        this.modelPath = modelPath == null ? null : modelPath.toAbsolutePath().toString();
        this.modelBytes = modelBytes;
        this.tokenizerPath = tokenizerPath == null ? null : tokenizerPath.toAbsolutePath().toString();
        this.tokenizerBytes = tokenizerBytes;
    }

    /** The model's path, or a description of its bytes, for messages. */
    public String model() {
        return modelPath != null ? modelPath : "model of " + modelBytes.length + " bytes";
    }

    /** The sources tasks of {@code context} read; bytes are broadcast on the first call per context. */
    public synchronized Shipped ship(JavaSparkContext context) {
        if (shipped == null || shippedTo != context.sc() || context.sc().isStopped()) {
            shipped = new Shipped(source(context, modelPath, modelBytes),
                    tokenizerPath == null && tokenizerBytes == null ? null
                            : source(context, tokenizerPath, tokenizerBytes));
            shippedTo = context.sc();
        }
        return shipped;
    }

    private static Source source(JavaSparkContext context, String path, byte[] bytes) {
        return path != null ? Source.ofPath(Path.of(path)) : Source.ofBroadcast(context.broadcast(bytes), sha256(bytes));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The model's source and the tokenizer's (null without a text input). */
    public record Shipped(Source model, Source tokenizer) {
    }
}
