package dev.tern.train.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.NativeTensor;
import dev.tern.exec.Outputs;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Tensor;
import dev.tern.train.Evaluation;
import dev.tern.train.LossTerm;
import dev.tern.train.LossTerms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forward-and-loss graph of a session or of one parameter group, compiled on first use
 * (training alone never pays for it) and run on a batch with weight tensors it is handed in
 * place, so an evaluation reads the very tensors the steps train. Not thread-safe; owns its
 * compiled graph and closes it.
 */
public final class Evaluator implements AutoCloseable {
    private final TrainingGraphs graphs;
    private final LossTerms loss;
    private final Runtime runtime;
    private final SessionConfig config;
    private CompiledModel compiled;

    public Evaluator(TrainingGraphs graphs, LossTerms loss, Runtime runtime, SessionConfig config) {
        this.graphs = graphs;
        this.loss = loss;
        this.runtime = runtime;
        this.config = config;
    }

    /**
     * The loss, each term and copies of the outputs the terms read on {@code batch} (wrapped
     * in place, checked by the caller), with {@code weights}: every weight input of the graph.
     *
     * @throws dev.tern.exec.InvalidInputException if a batch tensor has the wrong element type or shape
     */
    public Evaluation run(Map<String, Tensor> batch, Map<String, NativeTensor> weights) {
        if (compiled == null) {
            compiled = runtime.compile(graphs.evaluation(), config);
        }
        List<NativeTensor> wrapped = new ArrayList<>();
        try {
            Map<String, NativeTensor> feed = new HashMap<>(weights);
            batch.forEach((input, tensor) -> feed.put(input, StepRun.track(NativeTensor.wrap(tensor), wrapped)));
            try (Outputs outputs = compiled.runNative(feed)) {
                Map<String, Tensor> predictions = new LinkedHashMap<>();
                for (LossTerm term : loss.terms()) {
                    predictions.computeIfAbsent(term.output(), name -> outputs.tensor(name).toTensor(name));
                }
                return new Evaluation(StepRun.scalar(outputs.tensor(graphs.lossOutput())),
                        StepRun.termValues(graphs, outputs), predictions.get(loss.terms().get(0).output()), predictions);
            }
        } finally {
            wrapped.forEach(NativeTensor::close);
        }
    }

    @Override
    public void close() {
        if (compiled != null) {
            compiled.close();
            compiled = null;
        }
    }
}
