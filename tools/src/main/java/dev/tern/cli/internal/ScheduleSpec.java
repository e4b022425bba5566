package dev.tern.cli.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.StringJoiner;

/**
 * {@code --schedule NAME[:KEY=VALUE,...]} taken apart: the schedule's name and its settings,
 * each read once as the type it must have. Every refusal is bad usage naming the schedule,
 * the key and the value found.
 */
final class ScheduleSpec {
    private final String name;
    private final Map<String, String> settings;

    private ScheduleSpec(String name, Map<String, String> settings) {
        this.name = name;
        this.settings = settings;
    }

    /**
     * The spec in {@code text}, whose settings must be among {@code allowedKeys} of its name.
     *
     * @throws CliFailure (usage) for an unknown name or key, a setting without a value, or a key given twice
     */
    static ScheduleSpec parse(String text, Map<String, List<String>> allowedKeys) {
        String[] nameAndSettings = text.split(":", 2);
        String name = nameAndSettings[0].trim();
        List<String> allowed = allowedKeys.get(name);
        if (allowed == null) {
            throw CliFailure.usage("--schedule: unknown '" + name + "', expected one of "
                    + String.join(", ", allowedKeys.keySet()));
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (nameAndSettings.length == 2) {
            for (String item : nameAndSettings[1].split(",")) {
                String[] keyAndValue = item.split("=", 2);
                String key = keyAndValue[0].trim();
                if (!allowed.contains(key)) {
                    throw CliFailure.usage("--schedule " + name + ": unknown setting '" + key + "', expected "
                            + (allowed.isEmpty() ? "none" : "one of " + String.join(", ", allowed)));
                }
                if (keyAndValue.length < 2 || keyAndValue[1].isBlank()) {
                    throw CliFailure.usage("--schedule " + name + ": '" + key + "' needs a value, as in " + key + "=1");
                }
                if (settings.put(key, keyAndValue[1].trim()) != null) {
                    throw CliFailure.usage("--schedule " + name + ": '" + key + "' is given twice");
                }
            }
        }
        return new ScheduleSpec(name, settings);
    }

    String name() {
        return name;
    }

    /** The number set for {@code key}, if any. */
    OptionalDouble number(String key) {
        String text = settings.get(key);
        if (text == null) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            throw bad(key, "is not a number", e);
        }
    }

    /** The whole number set for {@code key}, if any. */
    OptionalInt count(String key) {
        String text = settings.get(key);
        if (text == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw bad(key, "is not a whole number", e);
        }
    }

    /** The word set for {@code key}, which must be one of {@code choices}, if any. */
    Optional<String> choice(String key, List<String> choices) {
        String text = settings.get(key);
        if (text != null && !choices.contains(text)) {
            throw bad(key, "is not one of " + String.join(", ", choices), null);
        }
        return Optional.ofNullable(text);
    }

    /** Bad usage: a value the library refused, named with the spec it came from. */
    CliFailure refused(IllegalArgumentException e) {
        return CliFailure.usage("--schedule " + this + ": " + e.getMessage(), e);
    }

    private CliFailure bad(String key, String why, Exception cause) {
        return CliFailure.usage("--schedule " + name + ": " + key + "=" + settings.get(key) + " " + why, cause);
    }

    @Override
    public String toString() {
        StringJoiner items = new StringJoiner(",", name + ":", "");
        settings.forEach((key, value) -> items.add(key + "=" + value));
        return settings.isEmpty() ? name : items.toString();
    }
}
