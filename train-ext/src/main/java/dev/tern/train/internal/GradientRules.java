package dev.tern.train.internal;

import dev.tern.ir.Node;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gradient rules by op type, for the default {@code ai.onnx} domain. Ops whose outputs
 * are integers, booleans or piecewise constant (Shape, ArgMax, Equal, Floor, ...) stop
 * gradients instead: nothing flows back through them.
 *
 * <p>Some rules have a specialized form besides their general one, chosen by op attributes
 * and static shapes because ONNX Runtime runs it faster (a convolution's weight gradient as
 * matrix products over im2col columns, a tiled max pool's gradient without indices). Both
 * forms compute the same values; {@link #generalOnly()} turns the specialized ones off so
 * tests can compare them.
 */
final class GradientRules {
    private static final Set<String> GRADIENT_STOPPING_OPS = Set.of(
            "Shape", "Size", "NonZero", "ArgMax", "ArgMin", "Equal", "Greater", "GreaterOrEqual",
            "Less", "LessOrEqual", "Not", "And", "Or", "Xor", "IsNaN", "IsInf", "Sign", "Floor",
            "Ceil", "Round", "ConstantOfShape", "Constant", "EyeLike", "Range", "OneHot",
            "RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike", "Bernoulli",
            "Multinomial");

    private static final Set<String> CONTROL_FLOW_OPS = Set.of("If", "Loop", "Scan");

    private final Map<String, GradientRule> rules = new HashMap<>();
    private final boolean specializedForms;

    private GradientRules(boolean specializedForms) {
        this.specializedForms = specializedForms;
    }

    /** Every rule Tern has, with their specialized forms where they apply. */
    static GradientRules standard() {
        return withAllRules(new GradientRules(true));
    }

    /** Every rule Tern has, in their general forms only: the reference the specialized forms are tested against. */
    static GradientRules generalOnly() {
        return withAllRules(new GradientRules(false));
    }

    private static GradientRules withAllRules(GradientRules registry) {
        ArithmeticRules.register(registry);
        UnaryRules.register(registry);
        ActivationRules.register(registry);
        TrigonometricRules.register(registry);
        VariadicRules.register(registry);
        SoftmaxRules.register(registry);
        ClassificationLossRules.register(registry);
        MatMulRules.register(registry);
        EinsumRule.register(registry);
        ResizeRule.register(registry);
        ConvRules.register(registry);
        PoolRules.register(registry);
        NormalizationRules.register(registry);
        GroupNormalizationRules.register(registry);
        ShapeRules.register(registry);
        SelectionRules.register(registry);
        IndexingRules.register(registry);
        LayoutRules.register(registry);
        ReductionRules.register(registry);
        QuantizationRules.register(registry);
        return registry;
    }

    /** Whether rules may emit their specialized forms. */
    boolean allowsSpecializedForms() {
        return specializedForms;
    }

    void put(String opType, GradientRule rule) {
        if (rules.putIfAbsent(opType, rule) != null) {
            throw new IllegalStateException("two gradient rules for " + opType);
        }
    }

    /** The rule for {@code node}'s op, if it has one. */
    Optional<GradientRule> find(Node node) {
        if (!isDefaultDomain(node.domain())) {
            return Optional.empty();
        }
        return Optional.ofNullable(rules.get(node.opType()));
    }

    /** Whether no gradient flows through {@code node}'s outputs. */
    static boolean stopsGradient(Node node) {
        return isDefaultDomain(node.domain()) && GRADIENT_STOPPING_OPS.contains(node.opType());
    }

    /** Whether {@code node} is control flow, which runs subgraphs and can have no gradient rule. */
    static boolean isControlFlow(Node node) {
        return isDefaultDomain(node.domain()) && CONTROL_FLOW_OPS.contains(node.opType());
    }

    static boolean isDefaultDomain(String domain) {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }
}
