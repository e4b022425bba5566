package dev.tern.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model the batching benchmark serves: its file, the per-row shape of each input (a request
 * of {@code rows} rows sends {@code [rows, ...perRow]}), and the config.json fields that turn
 * dynamic batching on for it.
 *
 * @param batching config.json fields a batched setup adds, e.g. {@code "max_batch_size": 16,
 *     "dynamic_batching": {...}}
 */
record BatchedModel(String title, Path file, Map<String, long[]> perRowShapes, String batching) {
    /** Every input in the shape of a request of {@code rows} rows. */
    Map<String, long[]> shapes(long rows) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        perRowShapes.forEach((name, perRow) -> {
            long[] dims = new long[perRow.length + 1];
            dims[0] = rows;
            System.arraycopy(perRow, 0, dims, 1, perRow.length);
            shapes.put(name, dims);
        });
        return shapes;
    }

    /** The same per-row shape for each of {@code names}. */
    static Map<String, long[]> sameShape(List<String> names, long... perRow) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        names.forEach(name -> shapes.put(name, perRow));
        return shapes;
    }
}
