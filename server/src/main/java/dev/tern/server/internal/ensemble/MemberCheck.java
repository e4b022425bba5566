package dev.tern.server.internal.ensemble;

import dev.tern.server.StatusException;
import dev.tern.server.internal.Signature;
import dev.tern.server.internal.repository.EnsembleStep;
import dev.tern.server.internal.repository.ModelVersion;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, as an ensemble loads, that every step's member is loaded in the version the step asks
 * for and has each tensor the step maps: a key of {@code input_map} among its inputs, a key of
 * {@code output_map} among its outputs. The requests an ensemble runs later check again, since a
 * member may be reloaded with other tensors or unloaded meanwhile.
 */
public final class MemberCheck {
    private MemberCheck() {
    }

    /**
     * Checks each of {@code steps} against the member {@code members} serves now.
     *
     * @param ensemble "model 'name'", for messages
     * @throws IllegalArgumentException naming the ensemble, the step's place in its config, the
     *     member and what it lacks: the model, the version or the tensor name
     */
    public static void check(String ensemble, List<EnsembleStep> steps, MemberLookup members) {
        for (EnsembleStep step : steps) {
            ModelVersion member = acquire(ensemble, step, members);
            try {
                requireTensors(ensemble, step, member, "input", step.inputMap().keySet(), member.inputs());
                requireTensors(ensemble, step, member, "output", step.outputMap().keySet(), member.outputs());
            } finally {
                member.release();
            }
        }
    }

    private static ModelVersion acquire(String ensemble, EnsembleStep step, MemberLookup members) {
        try {
            return members.acquire(step.modelName(), step.versionText());
        } catch (StatusException e) {
            String version = step.modelVersion() == EnsembleStep.LATEST ? " (its newest version)"
                    : " version " + step.modelVersion();
            throw new IllegalArgumentException(ensemble + ": '" + step.field() + "' runs member model '"
                    + step.modelName() + "'" + version + ": " + e.status().message(), e);
        }
    }

    private static void requireTensors(String ensemble, EnsembleStep step, ModelVersion member, String kind,
                                       Set<String> mapped, List<Signature> present) {
        Set<String> names = new TreeSet<>(present.stream().map(Signature::name).toList());
        for (String name : new TreeSet<>(mapped)) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException(ensemble + ": '" + step.field() + "." + kind + "_map' names "
                        + kind + " '" + name + "' of member " + member.describe() + ", which has no such " + kind
                        + "; its " + kind + "s are " + names);
            }
        }
    }
}
