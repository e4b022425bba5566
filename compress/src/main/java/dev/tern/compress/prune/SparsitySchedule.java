package dev.tern.compress.prune;

/**
 * The gradual pruning schedule of Zhu and Gupta ("To prune, or not to prune", 2017): over
 * {@code n} mask updates the sparsity rises from 0 as
 * {@code s_k = target * (1 - (1 - k / n)^3)}, fast at first while many weights are redundant
 * and slowly at the end, reaching {@code target} at update {@code n}.
 *
 * @param target the final sparsity, in [0, 1)
 * @param updates the number of mask updates, at least 1 (1 prunes to the target at once)
 */
public record SparsitySchedule(double target, int updates) {
    /**
     * @throws IllegalArgumentException if {@code target} is not in [0, 1) or {@code updates} is below 1
     */
    public SparsitySchedule {
        MagnitudePruning.requireSparsity(target);
        if (updates < 1) {
            throw new IllegalArgumentException("a sparsity schedule needs at least 1 update, found " + updates);
        }
    }

    /**
     * The sparsity after update {@code k} (1-based).
     *
     * @throws IllegalArgumentException if {@code k} is not in [1, updates]
     */
    public double sparsity(int k) {
        if (k < 1 || k > updates) {
            throw new IllegalArgumentException("update " + k + " is outside 1.." + updates);
        }
        double left = 1 - (double) k / updates;
        return target * (1 - left * left * left);
    }
}
