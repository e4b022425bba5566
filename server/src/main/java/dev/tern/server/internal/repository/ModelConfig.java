package dev.tern.server.internal.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.exec.SessionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A model's optional {@code config.json}: how its versions are compiled (the
 * {@link SessionConfig} of every instance: threads and placement) and batched.
 *
 * <pre>{@code
 * {
 *   "intra_op_threads": 1,              // 0 (default) lets ONNX Runtime choose
 *   "inter_op_threads": 0,
 *   "intra_op_spinning": false,         // intra-op threads block after their work instead of spinning (default:
 *                                       // spin unless instance_count x intra_op_threads outnumbers the cores)
 *   "max_batch_size": 8,                // > 0: dim 0 of every input is the batch, at most this
 *   "dynamic_batching": {               // needs max_batch_size > 0
 *     "max_queue_delay_microseconds": 500,
 *     "preferred_batch_size": [4, 8],
 *     "max_queue_size": 1024          // without dynamic batching the queue holds 1024 requests
 *   },
 *   "instance_count": 2,                // compiled sessions, each run by its own worker thread, 1 to 64
 *   "provider": "cuda",                 // "cpu" (default) or "cuda"
 *   "device_id": 0,                     // CUDA device; needs provider "cuda"
 *   "cpu_fallback": true,               // run on the CPU if CUDA is unavailable; needs provider "cuda"
 *   "input": [{"name": "x", "data_type": "TYPE_FP32", "dims": [-1, 4]}],   // see TensorOverride
 *   "output": [{"name": "y", "data_type": "FP32", "dims": [-1, 2]}],
 *   "model_warmup": [{"name": "zeros", "batch_size": 1, "inputs":             // see WarmupSample
 *       {"x": {"data_type": "TYPE_FP32", "dims": [4], "zero_data": true}}}],
 *   "platform": "onnxruntime_onnx",     // the only value here; "ensemble" is an EnsembleConfig
 *   "max_sequence_length": 128          // with a tokenizer.json beside the model: the most tokens a text
 *                                       // may have, unless the model's input_ids fix it (see VersionTokenizer)
 * }
 * }</pre>
 *
 * An unknown field is an error, so a misspelt setting is not silently ignored.
 */
public record ModelConfig(SessionConfig sessionConfig, int maxBatchSize, Optional<Batching> dynamicBatching,
                          int instanceCount, List<TensorOverride> inputs, List<TensorOverride> outputs,
                          List<WarmupSample> warmup, boolean responseCache, OptionalInt maxSequenceLength) {
    /** The most compiled sessions one model version may have. */
    public static final int MAX_INSTANCES = 64;
    private static final Set<String> FIELDS = Set.of("intra_op_threads", "inter_op_threads", "intra_op_spinning",
            "max_batch_size",
            "dynamic_batching", "instance_count", "provider", "device_id", "cpu_fallback", "input", "output", "model_warmup",
            "platform", "response_cache", "max_sequence_length");
    /** The only {@code platform} besides {@link EnsembleConfig#PLATFORM}: Triton's name for an ONNX model. */
    public static final String ONNX_PLATFORM = "onnxruntime_onnx";
    private static final Set<String> BATCHING_FIELDS = Set.of("max_queue_delay_microseconds",
            "preferred_batch_size", "max_queue_size", "priority_levels", "default_priority_level",
            "default_queue_policy", "priority_queue_policy");
    /** How a model without dynamic batching queues: each request alone, at once, up to the default queue size. */
    private static final Batching UNBATCHED = new Batching(0, Set.of(), QueuePolicy.DEFAULT_MAX_QUEUE_SIZE);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How requests are gathered into one run.
     *
     * @param maxQueueDelayMicros how long the oldest request waits for others
     * @param preferredBatchSizes batch sizes (in rows) run at once when no more requests are waiting
     * @param priorities the priority levels and how requests of each wait; beyond a level's queue size
     *     requests are refused (UNAVAILABLE)
     */
    public record Batching(long maxQueueDelayMicros, Set<Long> preferredBatchSizes, Priorities priorities) {
        /** Batching with one priority level of {@code maxQueueSize} requests and no timeouts. */
        public Batching(long maxQueueDelayMicros, Set<Long> preferredBatchSizes, int maxQueueSize) {
            this(maxQueueDelayMicros, preferredBatchSizes, Priorities.single(QueuePolicy.bounded(maxQueueSize)));
        }
    }

    /** The configuration of a model without {@code config.json}: ONNX Runtime's defaults, no batching, one CPU session. */
    public static ModelConfig defaults() {
        return new ModelConfig(SessionConfig.defaults(), 0, Optional.empty(), 1, List.of(), List.of(), List.of(),
                false, OptionalInt.empty());
    }

    /**
     * How an ensemble's requests are scheduled: {@code maxBatchSize} rows at most, no batching
     * of its own (its members batch), and {@code concurrentRuns} runs at once, each waiting on its
     * members' schedulers; its answers are not cached (its members' may be).
     */
    public static ModelConfig forEnsemble(int maxBatchSize, int concurrentRuns) {
        return new ModelConfig(SessionConfig.defaults(), maxBatchSize, Optional.empty(), concurrentRuns, List.of(),
                List.of(), List.of(), false, OptionalInt.empty());
    }

    /**
     * Reads {@code file}, or returns the defaults if it does not exist.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and field for malformed JSON, an unknown field or a bad value
     */
    public static ModelConfig read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return defaults();
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " must hold a JSON object");
        }
        requireKnownFields(root, FIELDS, file, "");
        JsonNode platform = root.get("platform");
        if (platform != null && !ONNX_PLATFORM.equals(platform.asText(null))) {
            throw new IllegalArgumentException(file + ": 'platform' must be \"" + ONNX_PLATFORM + "\" or \""
                    + EnsembleConfig.PLATFORM + "\", found " + platform);
        }
        int maxBatchSize = (int) nonNegative(root, "max_batch_size", 0, Integer.MAX_VALUE, file);
        Optional<Batching> batching = Optional.empty();
        JsonNode batchingNode = root.get("dynamic_batching");
        if (batchingNode != null) {
            if (maxBatchSize == 0) {
                throw new IllegalArgumentException(file + ": 'dynamic_batching' needs 'max_batch_size' > 0");
            }
            batching = Optional.of(batching(batchingNode, file));
        }
        JsonNode count = root.get("instance_count");
        if (count != null && (!count.isIntegralNumber() || count.longValue() < 1 || count.longValue() > MAX_INSTANCES)) {
            throw new IllegalArgumentException(file + ": 'instance_count' must be an integer from 1 to "
                    + MAX_INSTANCES + ", found " + count);
        }
        int instances = count == null ? 1 : count.intValue();
        return new ModelConfig(sessionConfig(root, instances, file), maxBatchSize, batching, instances,
                TensorOverride.readAll(root, "input", file), TensorOverride.readAll(root, "output", file),
                WarmupSample.readAll(root, maxBatchSize, file), responseCache(root, file),
                maxSequenceLength(root, file));
    }

    /** How requests wait for the model's instances: its dynamic batching, or one request per run without delay. */
    public Batching queueing() {
        return dynamicBatching.orElse(UNBATCHED);
    }

    /** The most rows one run may gather from several requests: {@code max_batch_size} with dynamic batching, else 0. */
    public int maxBatchRows() {
        return dynamicBatching.isPresent() ? maxBatchSize : 0;
    }

    /**
     * The session configuration each instance of each version is compiled with: threads and
     * placement. Without {@code intra_op_spinning}, intra-op threads spin (ONNX Runtime's
     * default) unless the instances' threads together outnumber the cores: then a spinning
     * thread holds a core another instance's thread or a transport needs. Measured on 2 cores,
     * 2 instances of 2 threads served fp32 MiniLM at 124 requests/s spinning and 204 without.
     */
    private static SessionConfig sessionConfig(JsonNode root, int instances, Path file) {
        int intraOpThreads = (int) nonNegative(root, "intra_op_threads", 0, Integer.MAX_VALUE, file);
        SessionConfig.Builder session = SessionConfig.builder()
                .intraOpThreads(intraOpThreads)
                .interOpThreads((int) nonNegative(root, "inter_op_threads", 0, Integer.MAX_VALUE, file));
        JsonNode spinning = root.get("intra_op_spinning");
        if (spinning != null) {
            if (!spinning.isBoolean()) {
                throw new IllegalArgumentException(file + ": 'intra_op_spinning' must be true or false, found " + spinning);
            }
            session.intraOpSpinning(spinning.booleanValue());
        } else {
            int cores = Runtime.getRuntime().availableProcessors();
            // 0 threads: ONNX Runtime's own choice, one per core.
            long threads = (long) instances * (intraOpThreads == 0 ? cores : intraOpThreads);
            session.intraOpSpinning(threads <= cores);
        }
        JsonNode provider = root.get("provider");
        if (provider == null || provider.isTextual() && provider.textValue().equals("cpu")) {
            if (root.has("device_id") || root.has("cpu_fallback")) {
                throw new IllegalArgumentException(file + ": 'device_id' and 'cpu_fallback' need 'provider': \"cuda\"");
            }
            return session.build();
        }
        if (!provider.isTextual() || !provider.textValue().equals("cuda")) {
            throw new IllegalArgumentException(file + ": 'provider' must be \"cpu\" or \"cuda\", found " + provider);
        }
        JsonNode fallback = root.get("cpu_fallback");
        if (fallback != null && !fallback.isBoolean()) {
            throw new IllegalArgumentException(file + ": 'cpu_fallback' must be true or false, found " + fallback);
        }
        return session.cuda((int) nonNegative(root, "device_id", 0, Integer.MAX_VALUE, file))
                .cpuFallback(fallback != null && fallback.booleanValue()).build();
    }

    private static OptionalInt maxSequenceLength(JsonNode root, Path file) {
        JsonNode value = root.get("max_sequence_length");
        if (value == null) {
            return OptionalInt.empty();
        }
        // Two tokens at least: a BERT-style tokenizer adds [CLS] and [SEP] to every text.
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 2) {
            throw new IllegalArgumentException(file + ": 'max_sequence_length' must be an integer from 2 to "
                    + Integer.MAX_VALUE + ", found " + value);
        }
        return OptionalInt.of(value.intValue());
    }

    private static boolean responseCache(JsonNode root, Path file) {
        JsonNode cache = root.get("response_cache");
        if (cache == null) {
            return false;
        }
        if (!cache.isObject()) {
            throw new IllegalArgumentException(file + ": 'response_cache' must be an object, found " + cache);
        }
        requireKnownFields(cache, Set.of("enable"), file, "response_cache.");
        JsonNode enable = cache.get("enable");
        if (enable != null && !enable.isBoolean()) {
            throw new IllegalArgumentException(file + ": 'response_cache.enable' must be true or false, found "
                    + enable);
        }
        return enable != null && enable.booleanValue();
    }

    private static Batching batching(JsonNode node, Path file) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + ": 'dynamic_batching' must be an object, found " + node);
        }
        requireKnownFields(node, BATCHING_FIELDS, file, "dynamic_batching.");
        long delay = nonNegative(node, "max_queue_delay_microseconds", 0, Long.MAX_VALUE / 1000, file);
        Set<Long> preferred = new TreeSet<>();
        JsonNode sizes = node.get("preferred_batch_size");
        if (sizes != null) {
            if (!sizes.isArray()) {
                throw new IllegalArgumentException(file + ": 'preferred_batch_size' must be an array of integers");
            }
            for (JsonNode size : sizes) {
                if (!size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 1) {
                    throw new IllegalArgumentException(file + ": 'preferred_batch_size' entries must be integers >= 1,"
                            + " found " + size);
                }
                preferred.add(size.longValue());
            }
        }
        return new Batching(delay, Set.copyOf(preferred), Priorities.read(node, file));
    }

    static void requireKnownFields(JsonNode node, Set<String> known, Path file, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException(file + ": unknown field '" + prefix + name + "'; known fields are "
                        + new TreeSet<>(known));
            }
        }
    }

    static long nonNegative(JsonNode root, String field, long defaultValue, long max, Path file) {
        JsonNode value = root.get(field);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0 || value.longValue() > max) {
            throw new IllegalArgumentException(file + ": '" + field + "' must be an integer from 0 to " + max
                    + ", found " + value);
        }
        return value.longValue();
    }
}
