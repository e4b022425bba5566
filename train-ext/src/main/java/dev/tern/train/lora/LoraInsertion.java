package dev.tern.train.lora;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.ir.passes.Pass;
import dev.tern.train.TrainingException;
import dev.tern.train.internal.TrainPasses;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * The pass {@value #NAME}: beside each {@link LoraTargets target} weight {@code W} it adds a
 * low-rank term, so that the node's output {@code y = x W} becomes
 * {@code y + scale * (x A) B}. Works in place on the model's main graph.
 *
 * <p>Two forms:
 * <ul>
 *   <li>{@link #forAdapters}: the base model ONNX Runtime's adapters run on. {@code A} and
 *       {@code B} are graph inputs of shape {@code [in, r]} and {@code [r, out]}, {@code r} a
 *       symbolic dimension of each target's own ({@link LoraTarget#rankDimension()}), whose
 *       initializer defaults are zeros of rank 1, so a run without an adapter gives the
 *       original outputs and an adapter of any rank can be fed by name. (With one symbol for
 *       all, ONNX Runtime plans memory as if every rank were equal and fails a run whose
 *       adapter leaves some targets at their defaults.) There is no scale: an
 *       adapter file carries {@code (alpha / rank) B}. One such base serves every adapter trained
 *       on any subset of its targets.
 *   <li>{@link #forTraining}: {@code A} and {@code B} are initializers to train, {@code A}
 *       uniform in {@code ±1/sqrt(in)} and {@code B} zero (so training starts from the original
 *       outputs), and the term is multiplied by {@code alpha / rank}. With a dropout ratio
 *       above 0, {@code x} passes a training-mode Dropout before {@code A}, seeded from
 *       {@code seed}; export for inference turns it into the identity.
 * </ul>
 *
 * <p>Requires: every target weight is a float initializer of rank 2 and no value of the graph
 * already has a name the pass would give. Ensures: every target has its {@code A} and
 * {@code B} (graph inputs too in the adapter form) and the model validates.
 *
 * <p>{@link #apply} reports failures as a {@code PassException}; {@link #insert} as the
 * {@link TrainingException} it documents. One instance rewrites one model at a time: it keeps
 * the targets of its latest run for its postcondition.
 */
public final class LoraInsertion extends Pass {
    public static final String NAME = "lora-insertion";
    /** Dropout seeds drawn below 2^24, as the training session draws its random ops' seeds. */
    private static final int DROPOUT_SEED_BOUND = 1 << 24;

    private final LoraTargets targets;
    /** 0 in the adapter form: rank-1 zero defaults, graph inputs, no scale. */
    private final int rank;
    private final double alpha;
    /** The ratio of the training-mode Dropout on the adapters' input; 0: no Dropout node. */
    private final double dropout;
    private final long seed;
    /** The targets the latest {@link #run} rewrote, which {@link #ensures} checks. */
    private List<LoraTarget> rewritten = List.of();

    private LoraInsertion(LoraTargets targets, int rank, double alpha, double dropout, long seed) {
        this.targets = Objects.requireNonNull(targets, "targets");
        this.rank = rank;
        this.alpha = alpha;
        this.dropout = dropout;
        this.seed = seed;
    }

    /** The rewrite that makes the base model ONNX Runtime applies adapters to. */
    public static LoraInsertion forAdapters(LoraTargets targets) {
        return new LoraInsertion(targets, 0, 0, 0, 0);
    }

    /**
     * The rewrite that makes adapters to train, of {@code rank} and scale {@code alpha / rank},
     * with {@code A} drawn from a generator seeded with {@code seed}.
     *
     * @throws IllegalArgumentException if {@code rank} is not positive or {@code alpha} not finite
     */
    public static LoraInsertion forTraining(LoraTargets targets, int rank, double alpha, long seed) {
        return forTraining(targets, rank, alpha, 0, seed);
    }

    /**
     * {@link #forTraining(LoraTargets, int, double, long)} with a training-mode Dropout of ratio
     * {@code dropout} on each adapter's input.
     *
     * @throws IllegalArgumentException if {@code rank} is not positive, {@code alpha} not finite
     *     or {@code dropout} outside [0, 1)
     */
    public static LoraInsertion forTraining(LoraTargets targets, int rank, double alpha, double dropout, long seed) {
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must lie in [0, 1), found " + dropout);
        }
        if (rank <= 0) {
            throw new IllegalArgumentException("LoRA rank must be positive, found " + rank);
        }
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("LoRA alpha must be finite, found " + alpha);
        }
        return new LoraInsertion(targets, rank, alpha, dropout, seed);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The factor of the low-rank term, {@code alpha / rank}; 1 in the adapter form, whose adapters carry it. */
    public double scale() {
        return isAdapterForm() ? 1 : alpha / rank;
    }

    /** The pass edits the model it is given. */
    @Override
    public boolean inPlace() {
        return true;
    }

    /**
     * Rewrites {@code model} in place.
     *
     * @return the targets rewritten, in node order
     * @throws TrainingException naming the pass if a precondition or postcondition fails
     */
    public List<LoraTarget> insert(Model model) {
        TrainPasses.apply(this, model, TrainingException.class);
        return rewritten;
    }

    /**
     * The targets the pass would rewrite in {@code model}, after checking its preconditions.
     *
     * @throws TrainingException naming the pass and the problem if a scope matches nothing or a
     *     name the pass would give is taken
     */
    public List<LoraTarget> targetsIn(Model model) {
        List<LoraTarget> found;
        try {
            found = targets.find(model);
        } catch (TrainingException e) {
            throw new TrainingException(NAME + ": " + e.getMessage(), e);
        }
        Set<String> taken = valueNames(model.graph());
        for (LoraTarget target : found) {
            for (String name : newNames(target)) {
                if (taken.contains(name)) {
                    throw new TrainingException(NAME + ": model graph '" + model.graph().name() + "' already has a"
                            + " value named '" + name + "', which the adapter of " + target.node().describe()
                            + " needs");
                }
            }
        }
        return found;
    }

    @Override
    protected void requires(Model model) {
        targetsIn(model);
    }

    @Override
    protected boolean run(Model model) {
        List<LoraTarget> found = targetsIn(model);
        Random random = new Random(seed);
        for (LoraTarget target : found) {
            insert(model.graph(), target, random);
        }
        rewritten = List.copyOf(found);
        return !found.isEmpty();
    }

    /** Every target of the latest run has its adapter, and the model validates. */
    @Override
    protected void ensures(Model model) {
        Graph graph = model.graph();
        for (LoraTarget target : rewritten) {
            for (String name : List.of(target.aName(), target.bName())) {
                Value value = graph.initializers().get(name);
                if (value == null || (isAdapterForm() && !graph.inputs().contains(value))) {
                    throw new TrainingException(NAME + ": model graph '" + graph.name() + "' lacks the "
                            + (isAdapterForm() ? "optional input '" : "initializer '") + name + "'");
                }
            }
        }
        try {
            model.validate();
        } catch (RuntimeException e) {
            throw new TrainingException(NAME + ": the rewritten model is invalid: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return NAME + (isAdapterForm() ? " for adapters" : " for training, rank " + rank + ", alpha " + alpha)
                + (dropout > 0 ? ", dropout " + dropout : "") + " on " + targets;
    }

    private boolean isAdapterForm() {
        return rank == 0;
    }

    private void insert(Graph graph, LoraTarget target, Random random) {
        Value a = graph.addInitializer(initialA(target, random));
        Value b = graph.addInitializer(Tensor.zeros(target.bName(), ElementType.FLOAT,
                isAdapterForm() ? 1 : rank, target.outFeatures()));
        if (isAdapterForm()) {
            Dim rankDim = Dim.of(target.rankDimension());
            a.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of(target.inFeatures()), rankDim)));
            b.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(rankDim, Dim.of(target.outFeatures()))));
            graph.addInput(a);
            graph.addInput(b);
        }
        Value y = target.node().output(0);
        Value sum = new Value(target.name() + ".lora_sum");
        // Readers of y move to the sum before the Add that reads y exists.
        y.replaceAllUsesWith(sum);
        keepOutputNames(graph, y, sum);
        Node first = dropout > 0 ? dropoutNode(graph, target, random) : null;
        Node down = op(target.name() + ".lora_down", "MatMul", first == null ? target.x() : first.output(0), a);
        Node up = op(target.name() + ".lora_up", "MatMul", down.output(0), b);
        Node last = up;
        if (first != null) {
            graph.insertAfter(target.node(), first);
        }
        graph.insertAfter(first == null ? target.node() : first, down);
        graph.insertAfter(down, up);
        if (!isAdapterForm()) {
            Value scale = graph.addInitializer(Tensor.ofFloats(target.name() + ".lora_scale", new long[0],
                    (float) (alpha / rank)));
            Node scaled = op(target.name() + ".lora_scaled", "Mul", up.output(0), scale);
            graph.insertAfter(up, scaled);
            last = scaled;
        }
        Node add = new Node("", "Add", List.of(y, last.output(0)), List.of(sum), List.of());
        add.setName(sum.name());
        graph.insertAfter(last, add);
    }

    /**
     * Dropout(x, dropout, training_mode = true), its ratio and mode initializers named after the
     * target, seeded from {@code random} so that one LoRA seed draws the same masks run after run.
     */
    private Node dropoutNode(Graph graph, LoraTarget target, Random random) {
        String name = target.name() + ".lora_dropout";
        Value ratio = graph.addInitializer(Tensor.ofFloats(name + "_ratio", new long[0], (float) dropout));
        Value training = graph.addInitializer(Tensor.ofBooleans(name + "_training", new long[0], true));
        Node node = new Node("", "Dropout", List.of(target.x(), ratio, training), List.of(new Value(name)),
                List.of(Attribute.ofInt("seed", random.nextInt(DROPOUT_SEED_BOUND))));
        node.setName(name);
        return node;
    }

    private Tensor initialA(LoraTarget target, Random random) {
        if (isAdapterForm()) {
            return Tensor.zeros(target.aName(), ElementType.FLOAT, target.inFeatures(), 1);
        }
        // PEFT's default (Kaiming-uniform with a = sqrt(5)) comes to this bound.
        double bound = 1 / Math.sqrt(target.inFeatures());
        float[] values = new float[Math.toIntExact(target.inFeatures() * rank)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return Tensor.ofFloats(target.aName(), new long[] {target.inFeatures(), rank}, values);
    }

    /** Where {@code y} is a graph output, {@code sum} takes its place and its name. */
    private static void keepOutputNames(Graph graph, Value y, Value sum) {
        List<Value> outputs = graph.outputs();
        boolean renamed = false;
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) == y) {
                if (!renamed) {
                    String outputName = y.name();
                    y.rename(sum.name() + ".base");
                    sum.rename(outputName);
                    renamed = true;
                }
                graph.setOutput(i, sum);
            }
        }
    }

    private static Node op(String name, String opType, Value left, Value right) {
        Node node = new Node("", opType, List.of(left, right), List.of(new Value(name)), List.of());
        node.setName(name);
        return node;
    }

    private List<String> newNames(LoraTarget target) {
        String name = target.name();
        List<String> names = new ArrayList<>(List.of(target.aName(), target.bName(), name + ".lora_down",
                name + ".lora_up", name + ".lora_sum", name + ".lora_sum.base"));
        if (!isAdapterForm()) {
            names.addAll(List.of(name + ".lora_scale", name + ".lora_scaled"));
        }
        if (dropout > 0) {
            names.addAll(List.of(name + ".lora_dropout", name + ".lora_dropout_ratio", name + ".lora_dropout_training"));
        }
        return names;
    }

    private static Set<String> valueNames(Graph graph) {
        Set<String> names = new HashSet<>(graph.initializers().keySet());
        for (Value input : graph.inputs()) {
            names.add(input.name());
        }
        for (Node node : graph.nodes()) {
            for (Value output : node.outputs()) {
                if (output != null) {
                    names.add(output.name());
                }
            }
        }
        return names;
    }
}
