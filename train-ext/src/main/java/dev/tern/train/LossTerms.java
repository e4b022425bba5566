package dev.tern.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A loss made of weighted terms over named model outputs and targets, whose sum the training
 * step minimizes; each term is also reported on its own. Immutable: {@link #plus} and
 * {@link #times} return new sums. Built from {@link Loss}'s named factories:
 *
 * <pre>{@code
 * LossTerms loss = Loss.mse("reconstruction", "input").plus(Loss.gaussianKl("mu", "logvar").times(beta));
 * }</pre>
 */
public final class LossTerms {
    private final List<LossTerm> terms;

    private LossTerms(List<LossTerm> terms) {
        this.terms = List.copyOf(terms);
        Set<String> names = new HashSet<>();
        for (LossTerm term : this.terms) {
            if (!names.add(term.name())) {
                throw new IllegalArgumentException("two loss terms are named '" + term.name()
                        + "'; give one another name with named(...)");
            }
        }
    }

    /** The sum of one term. */
    public static LossTerms of(LossTerm term) {
        return new LossTerms(List.of(Objects.requireNonNull(term, "term")));
    }

    /** The terms, in the order they were added. */
    public List<LossTerm> terms() {
        return terms;
    }

    /**
     * This sum followed by {@code other}'s terms.
     *
     * @throws IllegalArgumentException if two terms then share a name
     */
    public LossTerms plus(LossTerms other) {
        List<LossTerm> sum = new ArrayList<>(terms);
        sum.addAll(other.terms);
        return new LossTerms(sum);
    }

    /**
     * Every term's weight multiplied by {@code factor}.
     *
     * @throws IllegalArgumentException if a weight is then not finite
     */
    public LossTerms times(double factor) {
        return new LossTerms(terms.stream()
                .map(term -> new LossTerm(term.name(), term.function(), term.output(), term.target(), term.weight() * factor))
                .toList());
    }

    /**
     * This single term under the name {@code name}.
     *
     * @throws IllegalStateException if this sum has more than one term
     * @throws IllegalArgumentException if the name is empty
     */
    public LossTerms named(String name) {
        if (terms.size() != 1) {
            throw new IllegalStateException("only a single loss term can be renamed; this sum has " + names());
        }
        LossTerm term = terms.get(0);
        return of(new LossTerm(name, term.function(), term.output(), term.target(), term.weight()));
    }

    /** The term names, in order. */
    public List<String> names() {
        return terms.stream().map(LossTerm::name).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LossTerms sum && sum.terms.equals(terms);
    }

    @Override
    public int hashCode() {
        return terms.hashCode();
    }

    @Override
    public String toString() {
        return terms.toString();
    }
}
