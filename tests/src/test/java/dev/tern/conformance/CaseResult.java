package dev.tern.conformance;

/** How one backend case ended. */
sealed interface CaseResult {
    BackendCase testCase();

    /** Tern's executor on Tern's round trip matched every expected output. */
    record Passed(BackendCase testCase) implements CaseResult {
    }

    /** Tern failed: its round trip, its decoder or its executor; {@code reason} says where and what. */
    record Failed(BackendCase testCase, String reason) implements CaseResult {
    }

    /** Something outside Tern stopped the case before Tern's executor ran. */
    record Skipped(BackendCase testCase, SkipReason reason) implements CaseResult {
    }
}
