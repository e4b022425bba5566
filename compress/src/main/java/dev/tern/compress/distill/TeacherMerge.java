package dev.tern.compress.distill;

import dev.tern.compress.internal.MemberCopier;
import dev.tern.compress.internal.SharedInputs;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import dev.tern.ir.passes.Pass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Merges a frozen teacher into a copy of the student, for training both in one ONNX Runtime
 * run: the student stays as it is; every teacher node and value gets the prefix
 * {@value #PREFIX}; the teacher reads the student's inputs of the same names (through a Reshape
 * when its layout differs, as a CNN's {@code [batch, 1, 8, 8]} beside an MLP's
 * {@code [batch, 64]}); its weights become Constant nodes, so no trainer picks them; and its
 * logits become one more graph output, {@code teacher/<name>}. The student's parts of the result
 * are the student: cutting to the student's outputs removes every teacher node.
 *
 * <p>Requires: every teacher input is a student input (by name), the models agree on the
 * version of every opset both import, the teacher holds no model-local functions, and no
 * student value starts with the prefix. Ensures: the outputs are the student's followed by the
 * teacher's logits, and the model is valid.
 */
public final class TeacherMerge extends Pass {
    /** The prefix of every teacher node and value in the merged graph. */
    public static final String PREFIX = "teacher/";

    private final Model teacher;
    private final String teacherLogits;

    /**
     * @param teacherLogits the name of the teacher output that holds its logits
     */
    public TeacherMerge(Model teacher, String teacherLogits) {
        this.teacher = Objects.requireNonNull(teacher, "teacher");
        this.teacherLogits = Objects.requireNonNull(teacherLogits, "teacherLogits");
    }

    /** The name of the teacher's logits in the merged graph. */
    public String mergedLogits() {
        return PREFIX + teacherLogits;
    }

    @Override
    public String name() {
        return "teacher-merge";
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    protected void requires(Model student) {
        Graph studentGraph = student.graph();
        List<String> studentInputs = studentGraph.inputs().stream()
                .filter(input -> !input.isInitializer()).map(Value::name).toList();
        for (Value input : teacher.graph().inputs()) {
            if (!input.isInitializer() && !studentInputs.contains(input.name())) {
                throw new DistillationException("teacher input '" + input.name() + "' is no input of the student"
                        + " (graph '" + studentGraph.name() + "'), whose inputs are " + studentInputs
                        + "; the teacher must read the student's inputs, by name");
            }
        }
        for (Map.Entry<String, Long> opset : teacher.opsetImports().entrySet()) {
            Long studentVersion = student.opsetImports().get(opset.getKey());
            if (studentVersion != null && !studentVersion.equals(opset.getValue())) {
                throw new DistillationException("teacher imports opset " + opset.getValue() + " of domain '"
                        + opset.getKey() + "', the student " + studentVersion + "; export both at one opset");
            }
        }
        if (!teacher.functions().isEmpty()) {
            throw new DistillationException("teacher (graph '" + teacher.graph().name()
                    + "'): expected no model-local functions, found " + teacher.functions().size());
        }
        valueNames(studentGraph).filter(name -> name.startsWith(PREFIX)).findFirst().ifPresent(name -> {
            throw new DistillationException("student value '" + name + "' starts with '" + PREFIX
                    + "', which the teacher's names take in the merged graph");
        });
    }

    @Override
    protected boolean run(Model student) {
        Graph merged = student.graph();
        SharedInputs inputs = new SharedInputs(merged, DistillationException::new);
        for (Value input : merged.inputs()) {
            if (!input.isInitializer()) {
                inputs.share("student", input);
            }
        }
        MemberCopier copier = new MemberCopier(merged, inputs, MemberCopier.Weights.CONSTANTS,
                DistillationException::new);
        List<Value> teacherOutputs = copier.copy("teacher", PREFIX, teacher.graph());
        merged.addOutput(teacherOutputs.get(outputIndex()));
        teacher.opsetImports().forEach(student.opsetImports()::putIfAbsent);
        return true;
    }

    @Override
    protected void ensures(Model merged) {
        List<Value> outputs = merged.graph().outputs();
        String last = outputs.get(outputs.size() - 1).name();
        if (!last.equals(mergedLogits())) {
            throw new IllegalStateException("expected the last output to be '" + mergedLogits() + "', found '" + last
                    + "'");
        }
        merged.validate();
    }

    private int outputIndex() {
        List<String> names = teacher.graph().outputs().stream().map(Value::name).toList();
        int index = names.indexOf(teacherLogits);
        if (index < 0) {
            throw new DistillationException("teacher (graph '" + teacher.graph().name() + "') has no output '"
                    + teacherLogits + "'; its outputs are " + names);
        }
        return index;
    }

    private static Stream<String> valueNames(Graph graph) {
        List<String> names = new ArrayList<>();
        graph.inputs().forEach(value -> names.add(value.name()));
        graph.initializers().keySet().forEach(names::add);
        for (Node node : graph.nodes()) {
            node.outputs().stream().filter(Objects::nonNull).forEach(value -> names.add(value.name()));
        }
        return names.stream();
    }
}
