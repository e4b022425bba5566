package dev.tern.server.client;

import dev.tern.ir.Tensor;
import java.util.List;

/**
 * A client's link to one model on a running KServe v2 server, over one protocol. Thread-safe:
 * one connection serves every load thread. The caller closes it after every call it made.
 */
public interface ServerConnection extends AutoCloseable {
    /**
     * The model's inputs as its metadata describes them.
     *
     * @throws RemoteCallFailure if the server cannot be reached or does not know the model
     */
    List<InputMetadata> inputs();

    /**
     * A call sending {@code inputs} on every run, encoded once here; its {@link InferenceCall#run()}
     * throws {@link RemoteCallFailure} when the server fails one.
     *
     * @throws IllegalArgumentException if an input's element type has no KServe datatype
     */
    InferenceCall newCall(List<Tensor> inputs);

    @Override
    void close();
}
