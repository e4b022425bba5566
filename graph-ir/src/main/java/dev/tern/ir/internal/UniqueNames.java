package dev.tern.ir.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A set of taken names that also hands out fresh ones: {@code base_0}, {@code base_1}, ... */
public final class UniqueNames {
    private final Set<String> taken = new HashSet<>();
    private final Map<String, Integer> nextSuffix = new HashMap<>();

    /**
     * Takes {@code name}.
     *
     * @return false if it was already taken
     */
    public boolean claim(String name) {
        return taken.add(name);
    }

    /** Takes and returns {@code name} if it is free, otherwise {@link #fresh fresh(name)}. */
    public String preferred(String name) {
        return claim(name) ? name : fresh(name);
    }

    /** Takes and returns the first of {@code base_N}, counting from the last N given for this base, that is free. */
    public String fresh(String base) {
        int suffix = nextSuffix.getOrDefault(base, 0);
        String candidate = base + "_" + suffix;
        while (!taken.add(candidate)) {
            suffix++;
            candidate = base + "_" + suffix;
        }
        nextSuffix.put(base, suffix + 1);
        return candidate;
    }
}
