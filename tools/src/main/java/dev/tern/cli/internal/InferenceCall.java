package dev.tern.cli.internal;

/** One load thread's way of running the model once, in process or on a server. */
public interface InferenceCall extends AutoCloseable {
    /** Runs the model once on the benchmark's inputs, discarding the outputs. */
    void run();

    /** Releases what this call holds; does not throw. */
    @Override
    void close();
}
