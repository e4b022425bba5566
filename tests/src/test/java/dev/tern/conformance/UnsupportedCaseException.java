package dev.tern.conformance;

/** A test case that ORT's Java API cannot run at all; the suite counts it as skipped, with this reason. */
final class UnsupportedCaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedCaseException(String reason) {
        super(reason);
    }
}
