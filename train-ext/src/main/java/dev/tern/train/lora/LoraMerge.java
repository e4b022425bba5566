package dev.tern.train.lora;

import dev.tern.exec.AdapterFile;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.Pass;
import dev.tern.train.TrainingException;
import dev.tern.train.internal.TrainPasses;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The pass {@value #NAME}: folds an adapter into the weights of the original (not rewritten)
 * model, {@code W' = W + A B}, so that a plain model gives what the base with the adapter
 * gives. The adapter's {@code B} carries the {@code alpha / rank} scale already, as adapter
 * files do. Gemm weights are merged as Gemm reads them: through {@code transB}, and divided by
 * Gemm's {@code alpha}. A weight that other nodes read too is left to them: the target gets a
 * merged copy of its own. An adapter parameter named after an initializer of the model (a task
 * head, see {@link LoraAdapters#addOptionalInputs}) replaces it, as it replaces the optional
 * input of that name in ONNX Runtime. Works in place on the model's main graph.
 *
 * <p>Requires: every adapter parameter is the {@code A} or {@code B} of a target, or names an
 * initializer of the same type and shape; each target with one has both, both float of shapes
 * {@code [in, r]} and {@code [r, out]}. Ensures: the model validates.
 *
 * <p>{@link #apply} reports failures as a {@code PassException}; {@link #merge} as the
 * {@link TrainingException} it documents.
 */
public final class LoraMerge extends Pass {
    public static final String NAME = "lora-merge";

    private final LoraTargets targets;
    private final AdapterFile adapter;

    private LoraMerge(LoraTargets targets, AdapterFile adapter) {
        this.targets = Objects.requireNonNull(targets, "targets");
        this.adapter = Objects.requireNonNull(adapter, "adapter");
    }

    /** Merges {@code adapter}, trained on {@code targets}. */
    public static LoraMerge of(LoraTargets targets, AdapterFile adapter) {
        return new LoraMerge(targets, adapter);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The pass edits the model it is given. */
    @Override
    public boolean inPlace() {
        return true;
    }

    /** A target's low-rank factors from the adapter. */
    public record Factors(Tensor a, Tensor b) {
    }

    /**
     * Merges the adapter into {@code model}, in place.
     *
     * @throws TrainingException naming the pass if a precondition fails or the result is invalid
     */
    public void merge(Model model) {
        TrainPasses.apply(this, model, TrainingException.class);
    }

    /**
     * Checks the preconditions and returns each target with an adapter, with its factors, in
     * node order.
     *
     * @throws TrainingException naming the pass, the parameter and what was expected versus found
     */
    public Map<LoraTarget, Factors> factorsIn(Model model) {
        List<LoraTarget> found;
        try {
            found = targets.find(model);
        } catch (TrainingException e) {
            throw new TrainingException(NAME + ": " + e.getMessage(), e);
        }
        Set<String> unclaimed = new HashSet<>();
        adapter.parameters().forEach(p -> unclaimed.add(p.name()));
        Map<LoraTarget, Factors> pairs = new LinkedHashMap<>();
        for (LoraTarget target : found) {
            Tensor a = adapter.parameter(target.aName()).orElse(null);
            Tensor b = adapter.parameter(target.bName()).orElse(null);
            if (a == null && b == null) {
                continue;
            }
            if (a == null || b == null) {
                throw error(model, "the adapter has '" + (a == null ? target.bName() : target.aName())
                        + "' but not '" + (a == null ? target.aName() : target.bName()) + "'");
            }
            checkShapes(model, target, a, b);
            unclaimed.remove(a.name());
            unclaimed.remove(b.name());
            pairs.put(target, new Factors(a, b));
        }
        unclaimed.removeIf(name -> replacement(model, name) != null);
        if (!unclaimed.isEmpty()) {
            throw error(model, "adapter parameters " + unclaimed.stream().sorted().toList()
                    + " belong to no target in " + targets.scopes() + " and replace no initializer");
        }
        return pairs;
    }

    @Override
    protected void requires(Model model) {
        factorsIn(model);
    }

    @Override
    protected boolean run(Model model) {
        Graph graph = model.graph();
        boolean modified = false;
        for (Map.Entry<LoraTarget, Factors> pair : factorsIn(model).entrySet()) {
            LoraTarget target = pair.getKey();
            Tensor merged = merged(target, pair.getValue());
            Value weight = target.weight();
            if (weight.uses().size() == 1 && !graph.inputs().contains(weight) && weight.graphsOutputting().isEmpty()) {
                weight.setInitializer(merged.withName(weight.name()));
            } else {
                target.node().setInput(1, graph.addInitializer(merged.withName(target.name() + ".merged_weight")));
            }
            modified = true;
        }
        for (Tensor parameter : adapter.parameters()) {
            Value replaced = replacement(model, parameter.name());
            if (replaced != null) {
                replaced.setInitializer(parameter);
                modified = true;
            }
        }
        return modified;
    }

    /** The merged model validates. */
    @Override
    protected void ensures(Model model) {
        try {
            model.validate();
        } catch (RuntimeException e) {
            throw new TrainingException(NAME + ": the merged model is invalid: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return NAME + " of " + adapter.parameters().size() + " parameters on " + targets;
    }

    /** W + A B / gemmAlpha, laid out as the node reads W (transposed for Gemm's transB). */
    private static Tensor merged(LoraTarget target, Factors factors) {
        float[] w = target.weight().initializer().toFloatArray();
        float[] down = factors.a().toFloatArray();
        float[] up = factors.b().toFloatArray();
        int in = Math.toIntExact(target.inFeatures());
        int out = Math.toIntExact(target.outFeatures());
        int rank = Math.toIntExact(factors.a().dims()[1]);
        double factor = 1.0 / target.gemmAlpha();
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                double sum = 0;
                for (int r = 0; r < rank; r++) {
                    sum += (double) down[i * rank + r] * up[r * out + o];
                }
                int at = target.transposed() ? o * in + i : i * out + o;
                w[at] += (float) (sum * factor);
            }
        }
        return Tensor.ofFloats(target.weight().name(), target.weight().initializer().dims(), w);
    }

    private void checkShapes(Model model, LoraTarget target, Tensor a, Tensor b) {
        for (Tensor t : List.of(a, b)) {
            if (t.elementType() != ElementType.FLOAT || t.rank() != 2) {
                throw error(model, "'" + t.name() + "' must be a float matrix, found " + t.elementType() + " of rank "
                        + t.rank());
            }
        }
        long rank = a.dims()[1];
        if (a.dims()[0] != target.inFeatures() || b.dims()[0] != rank || b.dims()[1] != target.outFeatures()) {
            throw error(model, "the adapter of " + target.node().describe() + " must be A[" + target.inFeatures()
                    + ", r] and B[r, " + target.outFeatures() + "], found A" + Arrays.toString(a.dims())
                    + " and B" + Arrays.toString(b.dims()));
        }
    }

    /** The initializer an adapter parameter of this name, type and shape replaces whole, or null. */
    private Value replacement(Model model, String name) {
        Value value = model.graph().initializers().get(name);
        Tensor parameter = adapter.parameter(name).orElse(null);
        if (value == null || value.initializer() == null || parameter == null) {
            return null;
        }
        Tensor current = value.initializer();
        if (current.elementType() != parameter.elementType()
                || !Arrays.equals(current.dims(), parameter.dims())) {
            throw error(model, "adapter parameter '" + name + "' is " + parameter.elementType()
                    + Arrays.toString(parameter.dims()) + " but the initializer it replaces is "
                    + current.elementType() + Arrays.toString(current.dims()));
        }
        return value;
    }

    private static TrainingException error(Model model, String message) {
        return new TrainingException(NAME + ": model graph '" + model.graph().name() + "': " + message);
    }
}
