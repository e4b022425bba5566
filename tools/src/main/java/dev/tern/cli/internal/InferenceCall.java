package dev.tern.cli.internal;

/** One benchmark thread's way of running the model once; made by {@link BenchTarget#newCall()}. */
interface InferenceCall extends AutoCloseable {
    /** Runs the model once on the benchmark's inputs, discarding the outputs. */
    void run();

    /** Releases what this call holds; does not throw. */
    @Override
    void close();
}
