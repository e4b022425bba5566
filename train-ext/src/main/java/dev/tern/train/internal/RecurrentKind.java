package dev.tern.train.internal;

import java.util.List;

import static dev.tern.train.internal.GateActivation.SIGMOID;
import static dev.tern.train.internal.GateActivation.TANH;

/** The three recurrent ops: how many gates their weights stack, their default activations, their cell. */
enum RecurrentKind {
    RNN(1, List.of(TANH), (math, weights, activations, spec) -> new RnnCell(math, weights, activations)),
    GRU(3, List.of(SIGMOID, TANH), GruCell::new),
    LSTM(4, List.of(SIGMOID, TANH, TANH), LstmCell::new);

    /** Builds the cell of one direction. */
    @FunctionalInterface
    interface CellFactory {
        RecurrentCell create(GateArithmetic math, DirectionWeights weights, List<GateActivation> activations,
                             RecurrentSpec spec);
    }

    private final int gateCount;
    private final List<GateActivation> defaultActivations;
    private final CellFactory cellFactory;

    RecurrentKind(int gateCount, List<GateActivation> defaultActivations, CellFactory cellFactory) {
        this.gateCount = gateCount;
        this.defaultActivations = defaultActivations;
        this.cellFactory = cellFactory;
    }

    /** How many gate blocks of hidden_size rows W, R and each half of B stack. */
    int gateCount() {
        return gateCount;
    }

    /** The activations of one direction when the node sets none; their count is the count per direction. */
    List<GateActivation> defaultActivations() {
        return defaultActivations;
    }

    boolean hasCellState() {
        return this == LSTM;
    }

    RecurrentCell cell(GateArithmetic math, DirectionWeights weights, List<GateActivation> activations, RecurrentSpec spec) {
        return cellFactory.create(math, weights, activations, spec);
    }
}
