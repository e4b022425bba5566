package dev.tern.server;

/** How the set of loaded models may change while the server runs. */
public enum ModelControl {
    /** Every model in the repository is loaded at start; load and unload requests are refused. */
    NONE,
    /**
     * Only the models named with {@link InferenceServer.Builder#loadAtStart} are loaded at start
     * (none unless named, as in Triton); clients load, reload and unload models by name.
     */
    EXPLICIT,
    /** The repository folder is scanned periodically: new and changed models load, removed ones unload. */
    POLL
}
