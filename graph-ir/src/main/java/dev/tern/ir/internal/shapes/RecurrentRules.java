package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.Shape;

import java.util.List;

/**
 * RNN, GRU and LSTM: Y is [seq, directions, batch, hidden] and Y_h (and LSTM's Y_c)
 * [directions, batch, hidden]; {@code layout=1} (opset 14) puts batch first instead.
 */
final class RecurrentRules {
    private RecurrentRules() {
    }

    static void register(OpRegistry registry) {
        registry.add(RecurrentRules::recurrent, "RNN", "GRU", "LSTM");
    }

    private static void recurrent(NodeContext node) {
        Shape x = node.shape(0);
        if (!x.isRankKnown()) {
            return;
        }
        if (x.rank() != 3) {
            throw node.conflict("X has rank " + x.rank() + ", needs 3");
        }
        boolean batchFirst = node.intAttr("layout", 0) != 0;
        Dim sequence = x.dim(batchFirst ? 1 : 0);
        Dim batch = x.dim(batchFirst ? 0 : 1);
        Dim directions = Dim.of(node.stringAttr("direction", "forward").equals("bidirectional") ? 2 : 1);
        Dim hidden = node.hasAttribute("hidden_size") ? Dim.of(node.intAttr("hidden_size", 0)) : Dim.UNKNOWN;
        List<Dim> y = batchFirst ? List.of(batch, sequence, directions, hidden) : List.of(sequence, directions, batch, hidden);
        List<Dim> last = batchFirst ? List.of(batch, directions, hidden) : List.of(directions, batch, hidden);
        node.setOutput(0, node.elementType(0), y);
        node.setOutput(1, node.elementType(0), last);
        node.setOutput(2, node.elementType(0), last);
    }
}
