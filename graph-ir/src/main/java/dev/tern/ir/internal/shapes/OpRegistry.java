package dev.tern.ir.internal.shapes;

import dev.tern.ir.internal.Domains;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference rules keyed by domain, op type and the opset versions they cover. Several entries
 * for one op cover disjoint version ranges where the op changed form (Squeeze's axes moved from
 * an attribute to an input in opset 13).
 */
final class OpRegistry {
    /** A rule for opset versions {@code since} to {@code until}, both included. */
    private record Entry(long since, long until, OpRule rule) {
    }

    private static final long ANY_VERSION = Long.MAX_VALUE;
    private static final OpRegistry STANDARD = createStandard();

    private final Map<String, List<Entry>> entries = new HashMap<>();

    /** The registry with every rule Tern has; built once, read-only afterwards. */
    static OpRegistry standard() {
        return STANDARD;
    }

    private static OpRegistry createStandard() {
        OpRegistry registry = new OpRegistry();
        ElementwiseRules.register(registry);
        LayoutRules.register(registry);
        AxisRules.register(registry);
        JoinSplitRules.register(registry);
        SliceRules.register(registry);
        GatherRules.register(registry);
        ShapeSourceRules.register(registry);
        ConvPoolRules.register(registry);
        MatMulRules.register(registry);
        EinsumRule.register(registry);
        ReductionRules.register(registry);
        NormalizationRules.register(registry);
        RecurrentRules.register(registry);
        ControlFlowRules.register(registry);
        MiscRules.register(registry);
        LossRules.register(registry);
        return registry;
    }

    /** Registers {@code rule} for every version of ops {@code opTypes} in the default domain. */
    void add(OpRule rule, String... opTypes) {
        for (String opType : opTypes) {
            add(opType, 1, ANY_VERSION, rule);
        }
    }

    /** Registers {@code rule} for default-domain {@code opType} at versions {@code since} and later. */
    void addSince(String opType, long since, OpRule rule) {
        add(opType, since, ANY_VERSION, rule);
    }

    /** Registers {@code rule} for default-domain {@code opType} at versions {@code since} to {@code until}, both included. */
    void add(String opType, long since, long until, OpRule rule) {
        List<Entry> forOp = entries.computeIfAbsent(key("", opType), k -> new ArrayList<>());
        for (Entry existing : forOp) {
            if (since <= existing.until() && existing.since() <= until) {
                throw new IllegalStateException("two rules for " + opType + " cover opset " + Math.max(since, existing.since()));
            }
        }
        forOp.add(new Entry(since, until, rule));
    }

    /** The rule for {@code opType} of {@code domain} at opset {@code version}, or {@code null}. */
    OpRule find(String domain, String opType, long version) {
        List<Entry> forOp = entries.get(key(Domains.normalize(domain), opType));
        if (forOp == null) {
            return null;
        }
        for (Entry entry : forOp) {
            if (entry.since() <= version && version <= entry.until()) {
                return entry.rule();
            }
        }
        return null;
    }

    private static String key(String domain, String opType) {
        return domain + "::" + opType;
    }
}
