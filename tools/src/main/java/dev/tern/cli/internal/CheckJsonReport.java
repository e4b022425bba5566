package dev.tern.cli.internal;

import dev.tern.ir.InferenceReport;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code tern check --json}: one JSON object. Key names are a contract with scripts. */
final class CheckJsonReport {
    private CheckJsonReport() {
    }

    static String render(CheckSummary summary) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", summary.file());
        json.put("valid", summary.valid());
        json.put("validationError", summary.validationError());
        if (summary.valid()) {
            InferenceReport report = summary.inference();
            json.put("values", values(summary.values()));
            json.put("unknown", names(summary.unknownValues()));
            json.put("untyped", names(report.untypedValues()));
            json.put("withUnknownDims", names(report.valuesWithUnknownDims()));
            json.put("opsWithoutRule", new TreeMap<>(report.opsWithoutRule()));
            json.put("contradictions", contradictions(report));
            json.put("conflicts", conflicts(report));
        }
        return Json.write(json);
    }

    private static List<String> names(List<Value> values) {
        return values.stream().map(Value::name).toList();
    }

    private static List<Object> values(List<CheckSummary.ValueLine> values) {
        List<Object> result = new ArrayList<>();
        for (CheckSummary.ValueLine value : values) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", value.name());
            json.putAll(TypeDescriptions.json(value.type()));
            json.put("origin", value.origin());
            json.put("graph", value.graph());
            result.add(json);
        }
        return result;
    }

    private static List<Object> contradictions(InferenceReport report) {
        List<Object> result = new ArrayList<>();
        for (InferenceReport.Contradiction contradiction : report.contradictions()) {
            Map<String, Object> json = nodeJson(contradiction.node());
            json.put("value", contradiction.value().name());
            json.put("declared", TypeDescriptions.text(contradiction.declared()));
            json.put("inferred", TypeDescriptions.text(contradiction.inferred()));
            json.put("message", contradiction.describe());
            result.add(json);
        }
        return result;
    }

    private static List<Object> conflicts(InferenceReport report) {
        List<Object> result = new ArrayList<>();
        for (InferenceReport.Conflict conflict : report.conflicts()) {
            Map<String, Object> json = nodeJson(conflict.node());
            json.put("message", conflict.describe());
            result.add(json);
        }
        return result;
    }

    private static Map<String, Object> nodeJson(Node node) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("node", node.name());
        json.put("op", node.domain().isEmpty() ? node.opType() : node.domain() + "::" + node.opType());
        return json;
    }
}
