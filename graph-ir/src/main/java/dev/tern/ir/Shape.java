package dev.tern.ir;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The shape of a tensor type: a list of {@link Dim}s, or "rank unknown". Immutable.
 *
 * <p>Each dimension may carry a denotation, ONNX's note on what the axis means ("DATA_BATCH",
 * "DATA_CHANNEL", ...). Denotations annotate a shape without changing it, so {@code equals}
 * ignores them.
 */
public final class Shape {
    private static final Shape UNKNOWN_RANK = new Shape(null, null);
    private static final Shape SCALAR = new Shape(List.of(), List.of());

    private final List<Dim> dims;
    /** One entry per dimension, "" where a dimension has none; null when the rank is unknown. */
    private final List<String> denotations;

    private Shape(List<Dim> dims, List<String> denotations) {
        this.dims = dims;
        this.denotations = denotations;
    }

    /** A shape of which not even the rank is known. */
    public static Shape unknownRank() {
        return UNKNOWN_RANK;
    }

    /** The rank-0 shape. */
    public static Shape scalar() {
        return SCALAR;
    }

    public static Shape of(List<Dim> dims) {
        Objects.requireNonNull(dims, "dims");
        for (Dim dim : dims) {
            Objects.requireNonNull(dim, "a dimension is null");
        }
        return new Shape(List.copyOf(dims), Collections.nCopies(dims.size(), ""));
    }

    public static Shape of(Dim... dims) {
        return of(Arrays.asList(dims));
    }

    /** A fully known shape. */
    public static Shape of(long... sizes) {
        Dim[] dims = new Dim[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            dims[i] = Dim.of(sizes[i]);
        }
        return of(dims);
    }

    public boolean isRankKnown() {
        return dims != null;
    }

    /**
     * @throws IrException if the rank is unknown
     */
    public int rank() {
        return dims().size();
    }

    /**
     * @throws IrException if the rank is unknown
     */
    public List<Dim> dims() {
        if (dims == null) {
            throw new IrException("shape has unknown rank");
        }
        return dims;
    }

    public Dim dim(int axis) {
        return dims().get(axis);
    }

    /**
     * The denotation of dimension {@code axis}, or "" when it has none.
     *
     * @throws IrException if the rank is unknown
     * @throws IndexOutOfBoundsException if there is no such dimension
     */
    public String denotation(int axis) {
        Objects.checkIndex(axis, rank());
        return denotations.get(axis);
    }

    /** Whether any dimension has a denotation. */
    public boolean hasDenotations() {
        return denotations != null && denotations.stream().anyMatch(denotation -> !denotation.isEmpty());
    }

    /**
     * The same dimensions with these denotations, one per dimension ("" for none).
     *
     * @throws IrException if the rank is unknown or the count differs from the rank
     */
    public Shape withDenotations(List<String> newDenotations) {
        if (newDenotations.size() != rank()) {
            throw new IrException("shape " + this + " has " + rank() + " dimensions, found "
                    + newDenotations.size() + " denotations");
        }
        for (String denotation : newDenotations) {
            Objects.requireNonNull(denotation, "a denotation is null; use \"\" for none");
        }
        return new Shape(dims, List.copyOf(newDenotations));
    }

    /** Whether every dimension is known. */
    public boolean isFullyKnown() {
        return dims != null && dims.stream().allMatch(Dim::isKnown);
    }

    /**
     * The sizes of a fully known shape.
     *
     * @throws IrException if a dimension is symbolic or unknown
     */
    public long[] toSizes() {
        long[] sizes = new long[rank()];
        for (int i = 0; i < sizes.length; i++) {
            if (!(dims.get(i) instanceof Dim.Known known)) {
                throw new IrException("dimension " + i + " of shape " + this + " is not known");
            }
            sizes[i] = known.size();
        }
        return sizes;
    }

    /** Whether both have the same dimensions (denotations ignored). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && Objects.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(dims);
    }

    @Override
    public String toString() {
        if (dims == null) {
            return "[*]";
        }
        return dims.stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]"));
    }
}
