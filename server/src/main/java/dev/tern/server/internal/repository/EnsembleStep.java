package dev.tern.server.internal.repository;

import java.util.Map;

/**
 * One step of an ensemble's {@code ensemble_scheduling.step} list, in Triton's form: run a member
 * model on ensemble tensors and name its outputs as ensemble tensors.
 *
 * @param field where the step is in {@code config.json}, such as {@code ensemble_scheduling.step[1]}, for messages
 * @param modelName the member model
 * @param modelVersion the member version, or -1 for its newest loaded version
 * @param inputMap member input name to the ensemble tensor that feeds it
 * @param outputMap member output name to the ensemble tensor it becomes
 */
public record EnsembleStep(String field, String modelName, long modelVersion, Map<String, String> inputMap,
                           Map<String, String> outputMap) {
    /** The newest loaded version, as {@code model_version} -1 asks. */
    public static final long LATEST = -1;

    public EnsembleStep {
        inputMap = Map.copyOf(inputMap);
        outputMap = Map.copyOf(outputMap);
    }

    /** The version as the repository looks it up: "" for the newest. */
    public String versionText() {
        return modelVersion == LATEST ? "" : Long.toString(modelVersion);
    }

    /** "step N (model 'name')", for messages. */
    public String describe() {
        return field + " (model '" + modelName + "')";
    }
}
