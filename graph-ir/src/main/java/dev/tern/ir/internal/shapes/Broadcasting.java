package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * ONNX multidirectional (numpy) broadcasting of shapes, with symbolic dimensions handled as
 * ONNX's own inference does: a known size other than 1 wins, all ones give 1, one symbol (with
 * ones beside it) stays, and different symbols or unknowns give an unknown dimension.
 */
final class Broadcasting {
    private Broadcasting() {
    }

    /**
     * The broadcast shape of {@code shapes}, unknown rank if any rank is unknown.
     *
     * @throws ShapeConflict if two known sizes other than 1 differ on one axis
     */
    static Shape broadcast(List<Shape> shapes) {
        int rank = 0;
        for (Shape shape : shapes) {
            if (!shape.isRankKnown()) {
                return Shape.unknownRank();
            }
            rank = Math.max(rank, shape.rank());
        }
        List<Dim> result = new ArrayList<>(rank);
        for (int axis = 0; axis < rank; axis++) {
            result.add(broadcastAxis(shapes, rank, axis));
        }
        return Shape.of(result);
    }

    static Shape broadcast(Shape a, Shape b) {
        return broadcast(List.of(a, b));
    }

    private static Dim broadcastAxis(List<Shape> shapes, int rank, int axis) {
        long known = -1;
        Dim symbol = null;
        boolean mixedSymbols = false;
        int ones = 0;
        int present = 0;
        for (Shape shape : shapes) {
            int index = axis - (rank - shape.rank());
            if (index < 0) {
                continue;
            }
            present++;
            Dim dim = shape.dim(index);
            long size = Dims.size(dim);
            if (size == 1) {
                ones++;
            } else if (size >= 0) {
                if (known >= 0 && known != size) {
                    throw new ShapeConflict("cannot broadcast " + describe(shapes) + ": axis " + axis
                            + " is " + known + " in one input and " + size + " in another");
                }
                known = size;
            } else if (symbol == null) {
                symbol = dim;
            } else if (!symbol.equals(dim) || dim instanceof Dim.Unknown) {
                mixedSymbols = true;
            }
        }
        if (known >= 0) {
            return Dim.of(known);
        }
        if (ones == present) {
            return Dims.one();
        }
        return mixedSymbols ? Dim.UNKNOWN : symbol;
    }

    private static String describe(List<Shape> shapes) {
        return shapes.toString();
    }
}
