package dev.tern.server.internal.ensemble;

import dev.tern.server.internal.repository.ModelVersion;

/** Finds the member versions an ensemble runs: {@link dev.tern.server.internal.repository.ModelRepository#acquire}. */
@FunctionalInterface
public interface MemberLookup {
    /**
     * The version {@code version} of model {@code name} ("" for its newest), acquired: the caller
     * must {@link ModelVersion#release()} it.
     *
     * @throws dev.tern.server.StatusException NOT_FOUND or UNAVAILABLE when there is no such loaded version
     */
    ModelVersion acquire(String name, String version);
}
