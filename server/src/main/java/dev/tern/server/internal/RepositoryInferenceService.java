package dev.tern.server.internal;

import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.InferenceService;
import dev.tern.server.ModelControl;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import dev.tern.server.internal.cache.CacheLookup;
import dev.tern.server.internal.cache.ResponseCache;
import dev.tern.server.internal.repository.ModelRepository;
import dev.tern.server.internal.repository.ModelVersion;
import dev.tern.server.internal.repository.ServedAdapter;
import dev.tern.server.internal.scheduling.BatchRows;
import dev.tern.server.internal.scheduling.RequestScheduler;
import dev.tern.server.internal.statistics.VersionStatistics;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol over a {@link ModelRepository}: every call's checks, lookups and conversions.
 * Decodes an inference on the calling thread and hands it to its model's {@link RequestScheduler},
 * which runs it on a worker, or on the calling thread when that is an idle in-process caller, and
 * completes the answer. Counts
 * inferences in flight so that shutdown can wait for them. A request's {@code priority} and
 * {@code timeout} parameters place it in its model's queue ({@link QueueParameters}); its
 * {@code adapter} parameter runs it with that LoRA adapter of the version ({@link AdapterParameters}).
 * A request to a text model may send text instead of tokens ({@link TextRequests}); it is tokenized
 * on the calling thread.
 * Thread-safe; does not own the repository.
 */
public final class RepositoryInferenceService implements InferenceService {
    private static final List<String> EXTENSIONS = List.of("model_repository", "binary_tensor_data",
            "model_configuration", "statistics");
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryInferenceService.class);

    private final ModelRepository repository;
    private final ServerMetrics metrics;
    private final ResponseCache cache;
    private final String serverVersion;
    private final InFlight inFlight = new InFlight();
    private volatile boolean ready = true;
    private volatile boolean live = true;

    /**
     * A service over {@code repository}, recording into {@code metrics} and answering identical
     * requests to models that enable it from {@code cache}; owns none of them.
     */
    public RepositoryInferenceService(ModelRepository repository, ServerMetrics metrics, ResponseCache cache,
                                      String serverVersion) {
        this.repository = repository;
        this.metrics = metrics;
        this.cache = cache;
        this.serverVersion = serverVersion;
    }

    /** Refuses new inferences from now on (UNAVAILABLE) and reports not ready. */
    public void stopAccepting() {
        ready = false;
    }

    /** Reports not live: the server has shut down. */
    public void markStopped() {
        ready = false;
        live = false;
    }

    /** Waits until no inference is in flight, or {@code timeout} passes; true if none is. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return inFlight.awaitZero(timeout);
    }

    /** How many inferences are running now. */
    public int inFlight() {
        return inFlight.count();
    }

    @Override
    public boolean serverLive() {
        return live;
    }

    @Override
    public boolean serverReady() {
        return ready;
    }

    @Override
    public boolean modelReady(ModelReadyRequest request) {
        try {
            return !repository.find(request.getName(), request.getVersion()).isClosed();
        } catch (StatusException e) {
            if (e.status().code() == Status.Code.UNAVAILABLE) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public ServerMetadataResponse serverMetadata() {
        return ServerMetadataResponse.newBuilder()
                .setName("tern")
                .setVersion(serverVersion)
                .addAllExtensions(EXTENSIONS)
                .build();
    }

    @Override
    public ModelMetadataResponse modelMetadata(ModelMetadataRequest request) {
        ModelVersion model = repository.find(request.getName(), request.getVersion());
        ModelMetadataResponse.Builder response = ModelMetadataResponse.newBuilder()
                .setName(model.name())
                .setPlatform(model.platform());
        repository.versions(model.name()).forEach(version -> response.addVersions(version.toString()));
        for (Signature input : model.inputs()) {
            response.addInputs(tensorMetadata(input));
        }
        for (Signature output : model.outputs()) {
            response.addOutputs(tensorMetadata(output));
        }
        List<String> adapters = model.adapters().names();
        if (!adapters.isEmpty()) {
            response.putParameters(AdapterParameters.ADAPTERS, AdapterParameters.listing(adapters));
        }
        TextRequests.describe(model, response);
        return response.build();
    }

    @Override
    public CompletableFuture<ModelInferResponse> modelInfer(ModelInferRequest request, Deadline deadline) {
        long arrived = System.nanoTime();
        inFlight.increment();
        CompletableFuture<ModelInferResponse> answer;
        try {
            answer = infer(request, deadline, arrived);
        } catch (StatusException e) {
            answer = CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            LOG.error("model '{}': inference failed unexpectedly", request.getModelName(), e);
            answer = CompletableFuture.failedFuture(Status.internal("model '" + request.getModelName()
                    + "': inference failed: " + e).asException(e));
        }
        // Recorded before the transports see the answer, so a scrape after an answer counts it.
        return answer.whenComplete((response, error) -> {
            record(request, response, error, arrived);
            inFlight.decrement();
        });
    }

    @Override
    public ModelConfigResponse modelConfig(ModelConfigRequest request) {
        ModelVersion model = repository.find(request.getName(), request.getVersion());
        return ModelConfigResponse.newBuilder().setConfig(TritonModelConfig.of(model)).build();
    }

    @Override
    public ModelStatisticsResponse modelStatistics(ModelStatisticsRequest request) {
        List<ModelVersion> versions;
        if (request.getName().isEmpty()) {
            if (!request.getVersion().isEmpty()) {
                throw Status.invalidArgument("statistics of version " + request.getVersion()
                        + " need a model name").asException();
            }
            versions = repository.loaded();
        } else if (request.getVersion().isEmpty()) {
            String name = repository.find(request.getName(), "").name();
            versions = repository.loaded().stream().filter(model -> model.name().equals(name)).toList();
        } else {
            versions = List.of(repository.find(request.getName(), request.getVersion()));
        }
        ModelStatisticsResponse.Builder response = ModelStatisticsResponse.newBuilder();
        versions.forEach(model -> response.addModelStats(model.statistics().toMessage(model.name(), model.version())));
        return response.build();
    }

    @Override
    public RepositoryIndexResponse repositoryIndex(RepositoryIndexRequest request) {
        requireRepository(request.getRepositoryName());
        RepositoryIndexResponse.Builder response = RepositoryIndexResponse.newBuilder();
        for (ModelRepository.IndexEntry entry : repository.index()) {
            if (request.getReady() && !entry.state().equals("READY")) {
                continue;
            }
            response.addModelsBuilder()
                    .setName(entry.name())
                    .setVersion(entry.version())
                    .setState(entry.state())
                    .setReason(entry.reason());
        }
        return response.build();
    }

    @Override
    public void repositoryModelLoad(RepositoryModelLoadRequest request) {
        requireRepository(request.getRepositoryName());
        requireExplicitControl("load");
        if (AdapterParameters.adaptersOnly(request)) {
            repository.rescanAdapters(request.getModelName());
        } else {
            repository.load(request.getModelName());
        }
    }

    @Override
    public void repositoryModelUnload(RepositoryModelUnloadRequest request) {
        requireRepository(request.getRepositoryName());
        requireExplicitControl("unload");
        repository.unload(request.getModelName());
    }

    private void record(ModelInferRequest request, ModelInferResponse response, Throwable error, long arrived) {
        long elapsed = System.nanoTime() - arrived;
        boolean loaded = !repository.versions(request.getModelName()).isEmpty();
        String model = loaded ? request.getModelName() : "";
        if (error == null) {
            metrics.answered(model, response.getModelVersion(), Status.Code.OK, elapsed);
            return;
        }
        metrics.answered(model, "", statusCode(error), elapsed);
    }

    /** The status a failed answer carries: a {@link StatusException}'s, INTERNAL for any other failure. */
    private static Status.Code statusCode(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof StatusException status ? status.status().code() : Status.Code.INTERNAL;
    }

    /**
     * Checks the request and submits it to its model's scheduler; a transport thread never runs
     * the model. The model version, and the adapter the request names, stay acquired until the
     * run is done.
     */
    private CompletableFuture<ModelInferResponse> infer(ModelInferRequest request, Deadline transportDeadline,
                                                        long arrived) {
        if (!ready) {
            throw Status.unavailable("the server is shutting down and takes no new requests").asException();
        }
        ModelVersion model = repository.acquire(request.getModelName(), request.getModelVersion());
        VersionStatistics statistics = model.statistics();
        CompletableFuture<Map<String, Tensor>> results;
        List<String> outputs;
        ServedAdapter adapter = null;
        CacheLookup cached;
        try {
            Optional<String> adapterName = AdapterParameters.requested(request);
            if (adapterName.isPresent()) {
                adapter = model.adapters().acquire(adapterName.get());
            }
            Map<String, Tensor> inputs = TextRequests.sendsText(request, model)
                    ? TextRequests.inputs(request, model)
                    : InputDecoder.decode(request, model.describe(), model.inputs());
            outputs = OutputEncoder.requestedOutputs(request, model);
            int maxBatchSize = model.config().maxBatchSize();
            long rows = maxBatchSize > 0 ? BatchRows.of(inputs, model, maxBatchSize) : 0;
            QueueParameters queueing = QueueParameters.of(request, model, transportDeadline);
            if (queueing.deadline().isExpired()) {
                throw deadlinePassed(model);
            }
            cached = cache.lookup(model, inputs, request);
            if (cached.hit().isPresent()) {
                release(model, adapter);
                answered(statistics, true, arrived);
                return CompletableFuture.completedFuture(cached.hit().get());
            }
            results = model.scheduler().submit(inputs, rows, adapter == null ? null : adapter.adapter(),
                    queueing.deadline(), arrived, queueing.placement());
        } catch (RuntimeException e) {
            release(model, adapter);
            statistics.failed(System.nanoTime() - arrived);
            throw ExecErrors.toStatus(e, model);
        }
        ServedAdapter chosen = adapter;
        return results
                .whenComplete((done, error) -> release(model, chosen))
                .thenApply(done -> OutputEncoder.encode(request, model, done, outputs))
                .thenApply(cached::store)
                .whenComplete((response, error) -> {
                    answered(statistics, error == null, arrived);
                    if (chosen != null) {
                        metrics.answeredWithAdapter(model, chosen.name(), error == null ? Status.Code.OK
                                : statusCode(error));
                    }
                });
    }

    /** Ends a request's use of its adapter, if it chose one, then of its model version. */
    private static void release(ModelVersion model, ServedAdapter adapter) {
        if (adapter != null) {
            adapter.release();
        }
        model.release();
    }

    private static void answered(VersionStatistics statistics, boolean succeeded, long arrived) {
        long elapsed = System.nanoTime() - arrived;
        if (succeeded) {
            statistics.succeeded(elapsed, System.currentTimeMillis());
        } else {
            statistics.failed(elapsed);
        }
    }

    private static StatusException deadlinePassed(ModelVersion model) {
        return Status.of(Status.Code.DEADLINE_EXCEEDED, model.describe()
                + ": the request's deadline passed before it could run").asException();
    }

    private static ModelMetadataResponse.TensorMetadata tensorMetadata(Signature signature) {
        ModelMetadataResponse.TensorMetadata.Builder metadata = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(signature.name())
                .setDatatype(signature.datatype());
        for (long dim : signature.shape()) {
            metadata.addShape(dim);
        }
        return metadata.build();
    }

    private void requireRepository(String name) {
        String ours = repository.root().getFileName().toString();
        if (!name.isEmpty() && !name.equals(ours)) {
            throw Status.notFound("no model repository '" + name + "'; this server serves '" + ours + "'")
                    .asException();
        }
    }

    private void requireExplicitControl(String action) {
        if (repository.control() != ModelControl.EXPLICIT) {
            throw Status.of(Status.Code.FAILED_PRECONDITION, "cannot " + action + " models: model control is '"
                    + repository.control().name().toLowerCase() + "'; start the server with model control"
                    + " 'explicit' to load and unload models").asException();
        }
    }
}
