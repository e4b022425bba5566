package dev.tern.cli.internal;

import dev.tern.compress.prune.WeightSparsity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tern inspect --json}: the summary as one JSON object. Key names are part of the
 * command's contract with scripts, so they change only with care.
 */
final class JsonReport {
    private JsonReport() {
    }

    static String render(ModelSummary summary) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", summary.file());
        json.put("irVersion", summary.irVersion());
        // Domains as ONNX writes them: "" is the default ai.onnx domain.
        json.put("opsetImports", summary.opsetImports());
        json.put("producerName", summary.producerName());
        json.put("producerVersion", summary.producerVersion());
        json.put("domain", summary.domain());
        json.put("modelVersion", summary.modelVersion());
        json.put("docString", summary.docStringFirstLine());
        json.put("graphName", summary.graphName());
        json.put("inputs", namedTypes(summary.inputs()));
        json.put("outputs", namedTypes(summary.outputs()));
        json.put("nodeCount", summary.nodeCount());
        json.put("opTypes", opCounts(summary.opCounts()));
        json.put("parameterCount", summary.parameterCount());
        json.put("parameterBytes", summary.parameterBytes());
        json.put("weightSparsity", weightSparsity(summary.weightSparsity()));
        json.put("functions", functions(summary.functions()));
        json.put("metadata", summary.metadata());
        json.put("externalDataFiles", summary.externalDataFiles());
        return Json.write(json);
    }

    private static List<Object> namedTypes(List<ModelSummary.NamedType> values) {
        List<Object> result = new ArrayList<>();
        for (ModelSummary.NamedType value : values) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", value.name());
            json.putAll(TypeDescriptions.json(value.type()));
            result.add(json);
        }
        return result;
    }

    private static List<Object> weightSparsity(List<WeightSparsity> weights) {
        List<Object> result = new ArrayList<>();
        for (WeightSparsity weight : weights) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", weight.weight());
            json.put("zeros", weight.zeros());
            json.put("count", weight.count());
            json.put("fraction", weight.fraction());
            result.add(json);
        }
        return result;
    }

    private static List<Object> opCounts(List<ModelSummary.OpCount> counts) {
        List<Object> result = new ArrayList<>();
        for (ModelSummary.OpCount count : counts) {
            result.add(Map.of("op", count.op(), "count", count.count()));
        }
        return result;
    }

    private static List<Object> functions(List<ModelSummary.FunctionSummary> functions) {
        List<Object> result = new ArrayList<>();
        for (ModelSummary.FunctionSummary function : functions) {
            result.add(Map.of("name", function.name(), "nodeCount", function.nodeCount()));
        }
        return result;
    }
}
