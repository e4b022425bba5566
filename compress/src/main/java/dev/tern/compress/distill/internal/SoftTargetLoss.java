package dev.tern.compress.distill.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.Loss;

/**
 * The distillation term as a loss graph over student logits (its prediction) and teacher logits
 * (its target), both {@code [batch, classes]}:
 * {@code T^2 * mean_n sum_c p[n, c] * (log p[n, c] - log q[n, c])} with
 * {@code p = softmax(teacher / T)} and {@code q = softmax(student / T)}, the Kullback-Leibler
 * divergence of the student's softened distribution from the teacher's, in nats per example.
 * Written with ops every opset from 11 reads alike (Softmax and LogSoftmax on axis 1 of a 2-D
 * tensor, ReduceMean over all axes), since the graph joins the student's opset.
 */
public final class SoftTargetLoss {
    private static final String BATCH = "batch";

    private SoftTargetLoss() {
    }

    /** The term for {@code classes} classes at {@code temperature}. */
    public static Loss of(long classes, double temperature) {
        GraphBuilder g = GraphBuilder.create("distillation");
        Value student = g.input("student_logits", ElementType.FLOAT, Dim.of(BATCH), Dim.of(classes));
        Value teacher = g.input("teacher_logits", ElementType.FLOAT, Dim.of(BATCH), Dim.of(classes));
        Value t = g.initializer("temperature", Tensor.ofFloats("temperature", new long[0], (float) temperature));
        Value teacherSoft = g.op("Div", teacher, t);
        Value teacherProbabilities = g.node("Softmax").inputs(teacherSoft).attr("axis", 1L).output();
        Value teacherLog = g.node("LogSoftmax").inputs(teacherSoft).attr("axis", 1L).output();
        Value studentLog = g.node("LogSoftmax").inputs(g.op("Div", student, t)).attr("axis", 1L).output();
        Value pointwise = g.op("Mul", teacherProbabilities, g.op("Sub", teacherLog, studentLog));
        Value meanOverElements = g.node("ReduceMean").inputs(pointwise).attr("keepdims", 0L).output();
        // The mean over batch and classes times the class count is the per-example sum averaged over the batch.
        float scale = (float) (classes * temperature * temperature);
        Value factor = g.initializer("classes_times_t_squared", Tensor.ofFloats("classes_times_t_squared",
                new long[0], scale));
        g.output(g.op("Mul", meanOverElements, factor), "kl");
        return Loss.custom(g.build());
    }
}
