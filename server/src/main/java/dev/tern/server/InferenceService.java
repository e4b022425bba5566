package dev.tern.server;

import dev.tern.server.proto.ModelConfigRequest;
import dev.tern.server.proto.ModelConfigResponse;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import dev.tern.server.proto.ModelMetadataRequest;
import dev.tern.server.proto.ModelMetadataResponse;
import dev.tern.server.proto.ModelReadyRequest;
import dev.tern.server.proto.ModelStatisticsRequest;
import dev.tern.server.proto.ModelStatisticsResponse;
import dev.tern.server.proto.RepositoryIndexRequest;
import dev.tern.server.proto.RepositoryIndexResponse;
import dev.tern.server.proto.RepositoryModelLoadRequest;
import dev.tern.server.proto.RepositoryModelUnloadRequest;
import dev.tern.server.proto.ServerMetadataResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Every call of the KServe v2 / Open Inference Protocol, independent of transport: the gRPC,
 * REST and in-process adapters translate their wire format to these messages and back, and
 * hold no protocol logic of their own. Requests and responses are the protocol's protobuf
 * messages (package {@code inference}).
 *
 * <p>Thread-safe. Failures are {@link StatusException}s carrying the {@link Status} to answer
 * with; for {@link #modelInfer} they complete the returned future instead of being thrown.
 */
public interface InferenceService {
    /** Whether the server is up: true until it has shut down. */
    boolean serverLive();

    /** Whether the server takes inference requests: false once shutdown has begun. */
    boolean serverReady();

    /**
     * Whether the model (and version, or its newest one when the version is empty) is loaded.
     *
     * @throws StatusException NOT_FOUND for a model the repository does not hold, INVALID_ARGUMENT
     *     for a malformed name or version
     */
    boolean modelReady(ModelReadyRequest request);

    ServerMetadataResponse serverMetadata();

    /**
     * The model's versions, platform and signature, and in {@code parameters["adapters"]} the
     * version's LoRA adapters (names sorted and comma-separated) when it has any; for a version
     * that takes text, {@code parameters["text_input"]} names the text input ({@code "text"}) and
     * {@code parameters["max_tokens"]} gives the most tokens a text may have.
     *
     * @throws StatusException NOT_FOUND for an unknown or unloaded model or version
     */
    ModelMetadataResponse modelMetadata(ModelMetadataRequest request);

    /**
     * Runs one inference request. The request is checked against the model before anything
     * runs; the outputs come back in {@code raw_output_contents}, one entry per output. A string
     * request parameter {@code "adapter"} runs the version's LoRA adapter of that name. A version
     * with a tokenizer ({@link InferenceServer.Builder#textEncoders}) also takes a request whose only
     * input is BYTES {@code "text"}, one element per text, and makes its token inputs from the texts.
     *
     * <p>The model runs on the server's worker threads, except that a request to a model without
     * dynamic batching may run on the calling thread when one of the model's instances is idle and
     * no other request waits; the returned future is then complete on return. A caller that must
     * not block for a model run should call from a thread it can spare.
     *
     * @param deadline when the answer stops being useful; an expired request is not run
     * @return a future completed with the response, or exceptionally with a {@link StatusException}
     *     (INVALID_ARGUMENT for a request that does not match the model, an {@code "adapter"}
     *     parameter that is no string, text for a model without a tokenizer or a text with more
     *     tokens than the model takes (texts are never cut), NOT_FOUND for an unknown model, version or adapter,
     *     UNAVAILABLE when shutting down, when the request's priority level's queue is full or its
     *     queue timeout passes under a REJECT policy, DEADLINE_EXCEEDED, INTERNAL when the model fails)
     */
    CompletableFuture<ModelInferResponse> modelInfer(ModelInferRequest request, Deadline deadline);

    /**
     * Triton's extension: the model version's effective configuration (its {@code config.json}
     * with every default filled in, and the inputs and outputs requests are checked against).
     *
     * @throws StatusException NOT_FOUND for an unknown or unloaded model or version,
     *     INVALID_ARGUMENT for a malformed name or version
     */
    ModelConfigResponse modelConfig(ModelConfigRequest request);

    /**
     * Triton's extension: cumulative inference statistics of every loaded version of the model,
     * of one version, or, when the name is empty, of every loaded model.
     *
     * @throws StatusException NOT_FOUND for an unknown or unloaded model or version,
     *     INVALID_ARGUMENT for a malformed name or version, or a version without a name
     */
    ModelStatisticsResponse modelStatistics(ModelStatisticsRequest request);

    /** The repository's models with their versions and states. */
    RepositoryIndexResponse repositoryIndex(RepositoryIndexRequest request);

    /**
     * Loads the model, or reloads it if loaded; requests in flight on the old one finish on it.
     * With the parameter {@code "adapters_only": true} it only rescans the LoRA adapters of the
     * loaded versions instead: new adapter files load, changed ones load again, removed ones
     * unload once their requests are done, and the versions stay READY.
     *
     * @throws StatusException FAILED_PRECONDITION unless model control is explicit, NOT_FOUND
     *     if the repository has no such model (or, for an adapter rescan, the model is not loaded),
     *     INVALID_ARGUMENT if it or an adapter fails to load or {@code "adapters_only"} is no boolean
     */
    void repositoryModelLoad(RepositoryModelLoadRequest request);

    /**
     * Unloads every version of the model once their requests in flight are done.
     *
     * @throws StatusException FAILED_PRECONDITION unless model control is explicit, NOT_FOUND
     *     if the model is not loaded
     */
    void repositoryModelUnload(RepositoryModelUnloadRequest request);
}
