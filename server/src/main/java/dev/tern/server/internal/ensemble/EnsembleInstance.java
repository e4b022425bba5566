package dev.tern.server.internal.ensemble;

import dev.tern.exec.RunControl;
import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.Status;
import dev.tern.server.internal.repository.EnsembleStep;
import dev.tern.server.internal.repository.ModelVersion;
import dev.tern.server.internal.scheduling.BatchRows;
import dev.tern.server.internal.scheduling.ModelInstance;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs an ensemble's steps in their planned order, each as a request to its member model's
 * own scheduler: the member's queue, instances, dynamic batching and statistics apply as for a
 * client's request, and requests from concurrent ensemble runs batch together there. The run's
 * thread waits for each step. A member's failure fails the run with the member's status.
 * Thread-safe: it holds no state between runs.
 */
public final class EnsembleInstance implements ModelInstance {
    private final String ensemble;
    private final List<EnsembleStep> order;
    private final List<String> outputs;
    private final MemberLookup members;

    /**
     * @param ensemble "model 'name' version N", for messages
     * @param order the steps in dependency order ({@link EnsemblePlan#order})
     * @param outputs the ensemble's output names
     */
    public EnsembleInstance(String ensemble, List<EnsembleStep> order, List<String> outputs, MemberLookup members) {
        this.ensemble = ensemble;
        this.order = List.copyOf(order);
        this.outputs = List.copyOf(outputs);
        this.members = members;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, RunControl control) {
        Deadline deadline = control.timeout().map(Deadline::after).orElse(Deadline.none());
        Map<String, Tensor> tensors = new HashMap<>(inputs);
        for (EnsembleStep step : order) {
            tensors.putAll(runStep(step, tensors, deadline));
        }
        Map<String, Tensor> results = new LinkedHashMap<>();
        for (String output : outputs) {
            results.put(output, tensors.get(output).withName(output));
        }
        return results;
    }

    /** The ensemble tensors {@code step} produces, run on its member's scheduler. */
    private Map<String, Tensor> runStep(EnsembleStep step, Map<String, Tensor> tensors, Deadline deadline) {
        ModelVersion member = members.acquire(step.modelName(), step.versionText());
        long arrived = System.nanoTime();
        try {
            Map<String, Tensor> memberInputs = new HashMap<>();
            step.inputMap().forEach((name, tensor) -> memberInputs.put(name, tensors.get(tensor).withName(name)));
            int maxBatchSize = member.config().maxBatchSize();
            long rows = maxBatchSize > 0 ? BatchRows.of(memberInputs, member, maxBatchSize) : 0;
            Map<String, Tensor> memberOutputs = await(member.scheduler().submit(memberInputs, rows, deadline, arrived,
                    member.defaultPlacement()));
            Map<String, Tensor> produced = new HashMap<>();
            step.outputMap().forEach((name, tensor) -> produced.put(tensor, requireOutput(step, member, memberOutputs,
                    name)));
            member.statistics().succeeded(System.nanoTime() - arrived, System.currentTimeMillis());
            return produced;
        } catch (RuntimeException e) {
            member.statistics().failed(System.nanoTime() - arrived);
            throw e;
        } finally {
            member.release();
        }
    }

    private Tensor requireOutput(EnsembleStep step, ModelVersion member, Map<String, Tensor> memberOutputs,
                                 String name) {
        Tensor output = memberOutputs.get(name);
        if (output == null) {
            throw Status.internal(ensemble + ": " + step.describe() + " maps output '" + name + "', which "
                    + member.describe() + " does not have; its outputs are " + memberOutputs.keySet()).asException();
        }
        return output;
    }

    /** The member's answer, or its failure as thrown by the member (a status exception). */
    private static Map<String, Tensor> await(CompletableFuture<Map<String, Tensor>> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
