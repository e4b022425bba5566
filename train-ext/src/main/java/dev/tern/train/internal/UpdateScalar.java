package dev.tern.train.internal;

import dev.tern.ir.ElementType;

/**
 * A scalar input of a training step's update whose value follows from the learning rate and
 * the step count alone (the rate itself, Adam's bias-corrected step size): computed in Java in
 * double precision before each run, as PyTorch computes them in Python floats, instead of by a
 * dozen scalar nodes in the step graph.
 *
 * @param input the graph input's name
 * @param type the input's element type, the weights' (float or double)
 * @param value the value at a learning rate and a 1-based step count
 */
public record UpdateScalar(String input, ElementType type, Formula value) {
    /** How a per-step scalar follows from the learning rate and the 1-based step count. */
    @FunctionalInterface
    public interface Formula {
        double at(double rate, long step);
    }
}
