package dev.tern.ir.passes;

import dev.tern.ir.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs passes in order, each on the previous one's result, and repeats the whole sequence up
 * to {@link Builder#steps} times while any pass still changes the model (so folding a constant
 * that makes a node dead is followed by removing it). Immutable and reusable.
 *
 * <pre>{@code
 * PassResult result = PassManager.builder()
 *         .add(new IdentityRemoval())
 *         .add(new DeadNodeElimination())
 *         .steps(3)
 *         .build()
 *         .apply(model);
 * }</pre>
 */
public final class PassManager {
    private final List<Pass> passes;
    private final int steps;
    private final boolean verifyDefUse;

    private PassManager(Builder builder) {
        this.passes = List.copyOf(builder.passes);
        this.steps = builder.steps;
        this.verifyDefUse = builder.verifyDefUse;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The passes, in the order they run. */
    public List<Pass> passes() {
        return passes;
    }

    /**
     * Runs the passes. The result's model is {@code model} itself when every pass works in
     * place, and otherwise the last copy made; it is modified if any pass changed anything.
     *
     * @throws PassException naming the pass that failed
     */
    public PassResult apply(Model model) {
        Model current = Objects.requireNonNull(model, "model");
        boolean everModified = false;
        for (int step = 0; step < steps; step++) {
            boolean modifiedThisStep = false;
            for (Pass pass : passes) {
                PassResult result = pass.apply(current, verifyDefUse);
                current = result.model();
                modifiedThisStep |= result.modified();
            }
            everModified |= modifiedThisStep;
            if (!modifiedThisStep) {
                break;
            }
        }
        return new PassResult(current, everModified);
    }

    /** Collects the passes and options of a {@link PassManager}. */
    public static final class Builder {
        private final List<Pass> passes = new ArrayList<>();
        private int steps = 1;
        private boolean verifyDefUse = Pass.verifiesByDefault();

        private Builder() {
        }

        /** Appends a pass. */
        public Builder add(Pass pass) {
            passes.add(Objects.requireNonNull(pass, "pass"));
            return this;
        }

        /** Appends passes in order. */
        public Builder addAll(List<? extends Pass> more) {
            more.forEach(this::add);
            return this;
        }

        /**
         * How many times at most to run the whole sequence; it stops early once a round
         * changes nothing. Defaults to 1.
         *
         * @throws IllegalArgumentException if {@code count} is below 1
         */
        public Builder steps(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("steps must be at least 1, found " + count);
            }
            this.steps = count;
            return this;
        }

        /**
         * Whether to run the def-use verifier after every pass. Defaults to the system property
         * {@value Pass#VERIFY_PROPERTY}.
         */
        public Builder verifyDefUse(boolean verify) {
            this.verifyDefUse = verify;
            return this;
        }

        public PassManager build() {
            return new PassManager(this);
        }
    }
}
