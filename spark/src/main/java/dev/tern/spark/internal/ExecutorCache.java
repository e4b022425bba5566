package dev.tern.spark.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.onnx.OnnxImporter;
import dev.tern.train.data.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The compiled models and tokenizers of one JVM (a Spark executor, or the driver in local
 * mode), shared by every task that runs there: a model is compiled once per JVM, model source
 * and thread count, not once per task or row. Entries live as long as the JVM; a shutdown hook
 * closes them.
 */
public final class ExecutorCache {
    private static final Map<String, CompiledModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, TextTokenizer> TOKENIZERS = new ConcurrentHashMap<>();
    private static final AtomicInteger COMPILATIONS = new AtomicInteger();
    private static Runtime runtime;

    private ExecutorCache() {
    }

    /**
     * The model from {@code source} compiled with {@code threads} intra-op threads; the first
     * caller compiles it while others asking for the same one wait.
     */
    public static CompiledModel model(Source source, int threads) {
        return MODELS.computeIfAbsent(source.key() + "#threads=" + threads, key -> compile(source, threads));
    }

    /** The tokenizer from {@code source} cutting texts at {@code maxTokens}. */
    public static TextTokenizer tokenizer(Source source, int maxTokens) {
        return TOKENIZERS.computeIfAbsent(source.key() + "#max=" + maxTokens, key -> loadTokenizer(source, maxTokens));
    }

    /** How many models this JVM has compiled so far. */
    public static int compilations() {
        return COMPILATIONS.get();
    }

    private static CompiledModel compile(Source source, int threads) {
        SessionConfig config = SessionConfig.builder().intraOpThreads(threads).interOpThreads(1).build();
        CompiledModel model = source.path() != null
                ? runtime().open(source.path(), config)
                : runtime().compile(OnnxImporter.read(source.bytes()), config);
        COMPILATIONS.incrementAndGet();
        return model;
    }

    private static TextTokenizer loadTokenizer(Source source, int maxTokens) {
        try {
            if (source.path() != null) {
                return TextTokenizer.load(source.path(), maxTokens);
            }
            try (InputStream in = source.openBytes()) {
                return TextTokenizer.load(in, maxTokens);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("tokenizer " + source + ": " + e.getMessage(), e);
        }
    }

    private static synchronized Runtime runtime() {
        if (runtime == null) {
            runtime = Runtime.create();
            Thread hook = new Thread(ExecutorCache::closeAll, "tern-spark-executor-cache-close");
            java.lang.Runtime.getRuntime().addShutdownHook(hook);
        }
        return runtime;
    }

    private static void closeAll() {
        TOKENIZERS.values().forEach(TextTokenizer::close);
        synchronized (ExecutorCache.class) {
            runtime.close();
        }
    }
}
