package dev.tern.train.internal;

import dev.tern.ir.Value;

/** The equations of one recurrent op for one direction, emitted one time step at a time. */
interface RecurrentCell {
    /**
     * Emits one step.
     *
     * @param previous the state before the step
     * @param projectedInput X_t W^T + Wb, [batch, gates * hidden], every gate's input term at once
     * @return the state after the step
     */
    RecurrentState step(RecurrentState previous, Value projectedInput);
}
