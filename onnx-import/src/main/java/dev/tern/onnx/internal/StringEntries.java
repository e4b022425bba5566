package dev.tern.onnx.internal;

import dev.tern.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between ONNX's lists of {@code StringStringEntryProto} (its stand-in for a map:
 * metadata, bindings, quantization parameters) and insertion-ordered maps. A key listed twice
 * keeps its last value, as ONNX requires keys to be distinct.
 */
final class StringEntries {
    private StringEntries() {
    }

    static void putAll(Map<String, String> target, List<StringStringEntryProto> entries) {
        for (StringStringEntryProto entry : entries) {
            target.put(entry.getKey(), entry.getValue());
        }
    }

    static Map<String, String> toMap(List<StringStringEntryProto> entries) {
        Map<String, String> map = new LinkedHashMap<>();
        putAll(map, entries);
        return map;
    }

    static List<StringStringEntryProto> of(Map<String, String> map) {
        return map.entrySet().stream()
                .map(entry -> entry(entry.getKey(), entry.getValue()))
                .toList();
    }

    static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
