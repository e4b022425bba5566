package dev.tern.compress;

/** How an {@link Ensemble} turns its members' class probabilities into one answer. */
public enum CombineMode {
    /** The mean of the members' probabilities. */
    MEAN,
    /** A weighted mean of the members' probabilities, the weights scaled to sum to 1. */
    WEIGHTED,
    /**
     * The class most members rank first ({@code label}), ties going to the class with the higher
     * mean probability; {@code probabilities} is the mean, as for {@link #MEAN}.
     */
    VOTE
}
