package dev.tern.server.internal.cache;

import dev.tern.server.proto.ModelInferResponse;
import java.util.Optional;

/**
 * One request's visit to the {@link ResponseCache}: the cached answer on a hit; on a miss, where
 * to keep the answer once the model has run.
 */
public final class CacheLookup {
    /** The lookup of a request whose model does not cache: never a hit, and nothing is kept. */
    static final CacheLookup NONE = new CacheLookup(null, null, Optional.empty());

    private final ResponseCache cache;
    private final CacheKey key;
    private final Optional<ModelInferResponse> hit;

    CacheLookup(ResponseCache cache, CacheKey key, Optional<ModelInferResponse> hit) {
        this.cache = cache;
        this.key = key;
        this.hit = hit;
    }

    /** The cached answer, carrying this request's id; empty on a miss or when the model does not cache. */
    public Optional<ModelInferResponse> hit() {
        return hit;
    }

    /**
     * Keeps {@code response}, the answer of a miss, adding the time to the version's cache-miss
     * duration as Triton counts it (lookup and insertion); returns it unchanged.
     */
    public ModelInferResponse store(ModelInferResponse response) {
        if (cache != null) {
            long started = System.nanoTime();
            cache.put(key, response);
            key.version().statistics().cacheInserted(System.nanoTime() - started);
        }
        return response;
    }
}
