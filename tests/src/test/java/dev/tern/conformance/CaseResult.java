package dev.tern.conformance;

/** How one backend case ended; the reason says why it failed or was skipped. */
record CaseResult(BackendCase testCase, Outcome outcome, String reason) {

    enum Outcome { PASSED, FAILED, SKIPPED }

    static CaseResult passed(BackendCase testCase) {
        return new CaseResult(testCase, Outcome.PASSED, "");
    }

    static CaseResult failed(BackendCase testCase, String reason) {
        return new CaseResult(testCase, Outcome.FAILED, reason);
    }

    static CaseResult skipped(BackendCase testCase, String reason) {
        return new CaseResult(testCase, Outcome.SKIPPED, reason);
    }
}
