package dev.tern.server.client;

/**
 * One prepared inference request, run as often as asked: on a server through a
 * {@link ServerConnection}, or by anything else a load generator drives the same way. One
 * caller thread uses a call at a time.
 */
public interface InferenceCall extends AutoCloseable {
    /**
     * Runs the model once on the call's inputs, discarding the outputs.
     *
     * @throws RemoteCallFailure if a server answers with an error
     */
    void run();

    /** Releases what this call holds; does not throw. */
    @Override
    void close();
}
