package dev.tern.ir.passes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The passes graph-ir offers, by {@link Pass#name()}, and the default sequence {@code tern optimize} runs. */
public final class StandardPasses {
    private static final Map<String, Supplier<Pass>> BY_NAME = new LinkedHashMap<>();

    static {
        register(ConstantFolding::new);
        register(IdentityRemoval::new);
        register(DuplicateInitializerMerging::new);
        register(DeadNodeElimination::new);
        register(ShapeInferencePass::new);
    }

    private StandardPasses() {
    }

    private static void register(Supplier<Pass> factory) {
        BY_NAME.put(factory.get().name(), factory);
    }

    /** Every standard pass's name, in the default order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * A new instance of the pass named {@code name}.
     *
     * @throws IllegalArgumentException naming the known passes if there is none of that name
     */
    public static Pass byName(String name) {
        Supplier<Pass> factory = BY_NAME.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown pass '" + name + "', expected one of " + names());
        }
        return factory.get();
    }

    /** Every standard pass, in the default order: fold, drop identities, merge duplicates, drop dead nodes, infer shapes. */
    public static List<Pass> all() {
        return names().stream().map(StandardPasses::byName).toList();
    }
}
