package dev.tern.ir.internal;

import java.util.Collection;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/** Operator domain names as ONNX compares them: "ai.onnx" and "" are the same default domain. */
public final class Domains {
    private static final String AI_ONNX = "ai.onnx";

    private Domains() {
    }

    /** The domain's canonical spelling: "" for the default domain. */
    public static String normalize(String domain) {
        return AI_ONNX.equals(domain) ? "" : domain;
    }

    /** "[ai.onnx, com.microsoft]": the default domain spelled out, so an empty name is not lost in a message. */
    static String describe(Set<String> normalized) {
        StringJoiner joiner = new StringJoiner(", ", "[", "]");
        for (String domain : normalized) {
            joiner.add(domain.isEmpty() ? AI_ONNX : domain);
        }
        return joiner.toString();
    }

    /** The canonical spellings of {@code domains}, sorted for stable messages. */
    static Set<String> normalizeAll(Collection<String> domains) {
        Set<String> result = new TreeSet<>();
        for (String domain : domains) {
            result.add(normalize(domain));
        }
        return result;
    }
}
