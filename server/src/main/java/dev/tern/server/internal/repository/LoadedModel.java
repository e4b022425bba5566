package dev.tern.server.internal.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * One model as last loaded: the versions that loaded, why others failed (keyed by version, or
 * by "" for the model as a whole), what its folder held then, and, for an ensemble, the models
 * its steps run.
 */
record LoadedModel(NavigableMap<Long, ModelVersion> versions, Map<String, String> failures,
                   Fingerprint fingerprint, Set<String> members) {
    /** Whether this is an ensemble that loaded no version and runs model {@code name}: it may load once that does. */
    boolean awaits(String name) {
        return versions.isEmpty() && members.contains(name);
    }

    /** Retires every version: each closes once its requests in flight are done. */
    void retire() {
        versions.values().forEach(ModelVersion::retire);
    }

    /** Retires the versions {@code next} does not keep serving; returns their numbers. */
    List<Long> retireReplacedBy(LoadedModel next) {
        List<Long> retired = new ArrayList<>();
        versions.forEach((number, version) -> {
            if (!next.keeps(version)) {
                version.retire();
                retired.add(number);
            }
        });
        return retired;
    }

    /** Whether {@code version}, the very object, serves in this model. */
    boolean keeps(ModelVersion version) {
        return versions.values().stream().anyMatch(served -> served == version);
    }
}
