package dev.tern.compress.internal;

import dev.tern.compress.EnsembleException;
import dev.tern.ir.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The opset imports of an ensemble. Every member must import the same version of every domain
 * it shares with another: an upgrade can change what an op means (Softmax before opset 13
 * flattened its input, Reshape's allowzero, Resize's modes), so the ensemble refuses instead of
 * converting.
 */
public final class EnsembleOpsets {
    /** The oldest default opset the combining ops (Softmax along axis -1, OneHot, Gather with a negative index) accept. */
    public static final long MINIMUM_DEFAULT_OPSET = 11;

    private EnsembleOpsets() {
    }

    /**
     * The union of the members' opset imports, with "ai.onnx" written as the default domain "".
     *
     * @throws EnsembleException naming both members if two import different versions of a domain,
     *     or naming the member whose default opset is older than {@value #MINIMUM_DEFAULT_OPSET}
     */
    public static Map<String, Long> merge(List<Model> members) {
        Map<String, Long> merged = new LinkedHashMap<>();
        Map<String, Integer> firstImporter = new LinkedHashMap<>();
        for (int member = 0; member < members.size(); member++) {
            for (Map.Entry<String, Long> entry : members.get(member).opsetImports().entrySet()) {
                String domain = normalize(entry.getKey());
                Long earlier = merged.putIfAbsent(domain, entry.getValue());
                firstImporter.putIfAbsent(domain, member);
                if (earlier != null && !earlier.equals(entry.getValue())) {
                    throw new EnsembleException("members disagree on opset of domain '" + domainLabel(domain)
                            + "': member " + firstImporter.get(domain) + " imports " + earlier + ", member " + member
                            + " imports " + entry.getValue() + "; export them at one opset (an upgrade can change an"
                            + " op's meaning, so the ensemble does not convert)");
                }
            }
        }
        long defaultOpset = merged.getOrDefault("", 0L);
        if (defaultOpset < MINIMUM_DEFAULT_OPSET) {
            throw new EnsembleException("members import default opset " + defaultOpset + ", expected at least "
                    + MINIMUM_DEFAULT_OPSET);
        }
        return merged;
    }

    private static String normalize(String domain) {
        return domain.equals("ai.onnx") ? "" : domain;
    }

    private static String domainLabel(String domain) {
        return domain.isEmpty() ? "ai.onnx" : domain;
    }
}
