package dev.tern.server.internal.cache;

import com.google.protobuf.ByteString;
import dev.tern.ir.Tensor;
import dev.tern.server.internal.repository.ModelVersion;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server's response cache, as Triton's local cache: answers of the models whose
 * configuration enables {@code response_cache}, kept by {@link CacheKey} within one bound in
 * bytes for the whole server, the least recently used answer evicted first. An entry counts its
 * answer's serialized size plus {@value #ENTRY_OVERHEAD} bytes for its key and bookkeeping; an
 * answer larger than the whole bound is not kept. A version's entries go as it is retired
 * (reloaded or unloaded). Thread-safe: one lock around the map, held for lookups and inserts,
 * never while hashing a request.
 */
public final class ResponseCache {
    /** Bytes charged to each entry beside its answer: the digest, the key and map entry objects. */
    static final int ENTRY_OVERHEAD = 128;

    private final long capacityBytes;
    /** In access order: the first entry is the least recently used. Guarded by {@code this}. */
    private final LinkedHashMap<CacheKey, ModelInferResponse> entries = new LinkedHashMap<>(16, 0.75f, true);
    /** The versions with entries, each with a hook that clears them as it retires. Guarded by {@code this}. */
    private final Set<ModelVersion> watched = new HashSet<>();
    private long bytes;
    private long evictions;

    /**
     * A cache holding up to {@code capacityBytes} of answers; 0 keeps none, whatever the models ask.
     *
     * @throws IllegalArgumentException if {@code capacityBytes} is negative
     */
    public ResponseCache(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("the response cache size must be >= 0 bytes, found " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /**
     * Looks {@code request} up for {@code model}, recording a hit or a miss in the version's
     * statistics, or does nothing ({@link CacheLookup#NONE}) when the model does not cache or this
     * cache holds no bytes.
     */
    public CacheLookup lookup(ModelVersion model, Map<String, Tensor> inputs, ModelInferRequest request) {
        if (capacityBytes == 0 || !model.config().responseCache()) {
            return CacheLookup.NONE;
        }
        long started = System.nanoTime();
        CacheKey key = CacheKey.of(model, inputs, request);
        ModelInferResponse cached;
        synchronized (this) {
            cached = entries.get(key);
        }
        long nanos = System.nanoTime() - started;
        if (cached != null) {
            model.statistics().cacheHit(nanos);
            return new CacheLookup(this, key, Optional.of(cached.toBuilder().setId(request.getId()).build()));
        }
        model.statistics().cacheMiss(nanos);
        return new CacheLookup(this, key, Optional.empty());
    }

    /** The bytes the entries are charged now. */
    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int entries() {
        return entries.size();
    }

    /** Entries evicted to make room since the server started. */
    public synchronized long evictions() {
        return evictions;
    }

    /**
     * Keeps {@code response} under {@code key}, its outputs copied so that the entry holds only its
     * own bytes, never a batch's whole output it was sliced from, evicting the least recently used
     * entries to make room. Not kept when larger than the whole cache or when its version is retired.
     */
    void put(CacheKey key, ModelInferResponse response) {
        ModelInferResponse.Builder owned = response.toBuilder().clearId();
        for (int i = 0; i < owned.getRawOutputContentsCount(); i++) {
            owned.setRawOutputContents(i, ByteString.copyFrom(owned.getRawOutputContents(i).asReadOnlyByteBuffer()));
        }
        ModelInferResponse entry = owned.build();
        long size = size(entry);
        if (size > capacityBytes) {
            return;
        }
        boolean first;
        synchronized (this) {
            if (key.version().isRetired()) {
                return;
            }
            first = watched.add(key.version());
            ModelInferResponse previous = entries.put(key, entry);
            bytes += size - (previous == null ? 0 : size(previous));
            evictUntilWithinBound();
        }
        if (first) {
            // After the put: a version retired in between clears at once, taking this entry with it.
            key.version().whenRetired(() -> clear(key.version()));
        }
    }

    /** Removes every entry of {@code version}. */
    synchronized void clear(ModelVersion version) {
        watched.remove(version);
        for (Iterator<Map.Entry<CacheKey, ModelInferResponse>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<CacheKey, ModelInferResponse> entry = it.next();
            if (entry.getKey().version() == version) {
                bytes -= size(entry.getValue());
                it.remove();
            }
        }
    }

    /** Needs the lock. */
    private void evictUntilWithinBound() {
        Iterator<ModelInferResponse> leastRecent = entries.values().iterator();
        while (bytes > capacityBytes) {
            bytes -= size(leastRecent.next());
            leastRecent.remove();
            evictions++;
        }
    }

    private static long size(ModelInferResponse response) {
        return response.getSerializedSize() + (long) ENTRY_OVERHEAD;
    }
}
