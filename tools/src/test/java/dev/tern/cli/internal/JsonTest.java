package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.cli.MiniJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesCompactObjectsInIterationOrder() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("name", "x");
        object.put("count", 3L);
        object.put("small", 7);
        object.put("ok", true);
        object.put("missing", null);
        object.put("list", List.of(1L, "two", List.of(), Map.of()));

        assertEquals("{\"name\":\"x\",\"count\":3,\"small\":7,\"ok\":true,\"missing\":null,"
                + "\"list\":[1,\"two\",[],{}]}", Json.write(object));
    }

    @Test
    void escapesWhatJsonRequiresAndEverythingOutsideAscii() {
        assertEquals("\"\\\"q\\\" \\\\ \\b\\f\\n\\r\\t \\u0001\\u001f \\u007f\"",
                Json.write("\"q\" \\ \b\f\n\r\t \u0001\u001f \u007f"));
        assertEquals("\"\\u00e9 \\u2028 \\ud83d\\ude00\"", Json.write("\u00e9 \u2028 \ud83d\ude00"));
        assertEquals("\"\\ud800\"", Json.write("\ud800"), "a lone surrogate stays representable");
    }

    @Test
    void everyCharacterSurvivesARoundTrip() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            all.append(c);
        }
        all.append("\ud83d\ude00\udfff\ud800");
        String text = all.toString();

        String json = Json.write(Map.of(text, text));

        assertTrue(json.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "pure printable ASCII");
        assertEquals(Map.of(text, text), MiniJson.parse(json));
    }

    @Test
    void writesFloatingPointNumbersThatReadBackExactly() {
        List<Double> values = List.of(0.25, -1.5, 1e-5, 123456.789, Double.MIN_VALUE, -0.0);

        String json = Json.write(values);

        assertEquals(values, MiniJson.parse(json));
        assertEquals("[2.5]", Json.write(List.of(2.5f)));
    }

    @Test
    void writesNonFiniteNumbersAsNull() {
        assertEquals("[null,null,null]",
                Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)));
    }

    @Test
    void rejectsWhatItCannotWrite() {
        Map<Object, Object> numericKey = new LinkedHashMap<>();
        numericKey.put(1, "one");

        assertThrows(IllegalArgumentException.class, () -> Json.write(numericKey));
        assertThrows(IllegalArgumentException.class, () -> Json.write(java.math.BigDecimal.ONE));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
