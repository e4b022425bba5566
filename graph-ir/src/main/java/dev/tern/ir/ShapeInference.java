package dev.tern.ir;

import dev.tern.ir.internal.shapes.InferenceEngine;

/**
 * Element-type and shape inference: fills {@link Value#type()} for every value of a model's
 * main graph and its subgraphs that the operators' rules can determine, carrying symbolic
 * dimensions through ({@code batch} stays {@code batch} across a Relu, a MatMul or a
 * Reshape whose target shape is computed from {@code Shape}).
 *
 * <p>Rules are chosen by domain, op type and the model's opset version for that domain, so an
 * opset-13 Squeeze reads its axes from an input and an opset-11 one from an attribute. An op
 * without a rule leaves its outputs as they are and is listed in the report, not treated as an
 * error. A type the model declares (graph outputs, {@code value_info}) is never replaced by a
 * less precise one: an inferred dimension only fills a declared unknown or symbolic one, and an
 * inferred type that contradicts the declared one is reported and the declared one kept.
 *
 * <p>Small integer tensors computed from shapes are followed element by element, so known and
 * symbolic dimensions survive Shape, Gather, Slice, Concat, Cast and arithmetic into
 * ConstantOfShape, Reshape, Expand, Tile and Range. An initializer is a constant unless a graph
 * input may override it, which ONNX allows from IR version 4 on; before it every initializer
 * was also listed among the inputs.
 */
public final class ShapeInference {
    private ShapeInference() {
    }

    /**
     * Infers types in place and reports what it found. The model should be valid
     * ({@link Model#validate()}); inference walks each graph's nodes in their order and does not
     * check scoping itself. Model-local function bodies are not inferred: their types depend on
     * each call.
     *
     * @return the contradictions, conflicts, ops without a rule, and the values left untyped or
     *     with an unknown dimension
     */
    public static InferenceReport infer(Model model) {
        InferenceEngine.Outcome outcome = InferenceEngine.run(model);
        return new InferenceReport(outcome.contradictions(), outcome.conflicts(), outcome.opsWithoutRule(),
                outcome.untypedValues(), outcome.valuesWithUnknownDims(), outcome.valueCount());
    }
}
