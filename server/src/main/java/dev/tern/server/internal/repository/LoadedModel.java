package dev.tern.server.internal.repository;

import java.util.Map;
import java.util.NavigableMap;

/**
 * One model as last loaded: the versions that loaded, why others failed (keyed by version, or
 * by "" for the model as a whole), and what its folder held then.
 */
record LoadedModel(NavigableMap<Long, ModelVersion> versions, Map<String, String> failures,
                   Fingerprint fingerprint) {
    /** Retires every version: each closes once its requests in flight are done. */
    void retire() {
        versions.values().forEach(ModelVersion::retire);
    }
}
