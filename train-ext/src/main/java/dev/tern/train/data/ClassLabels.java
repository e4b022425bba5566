package dev.tern.train.data;

import dev.tern.train.data.internal.LongList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Collects the class labels of a CSV label column, cell by cell, and numbers them. A column
 * holds class indices (numbers: 0, 1, ...) or class names (anything else: "setosa"), never
 * both. Indices are checked as they come, so an index out of range is reported at its line;
 * names are numbered in sorted order, so the numbering does not depend on the order of the
 * rows (as {@link TextDatasetReader} numbers them).
 */
final class ClassLabels {
    /** A decimal number as a CSV writer prints one ("3", "3.0", "-1", "2e1"); anything else is a name. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final int classCount;
    private final List<String> knownNames;
    private final LongList indices = new LongList();
    private final List<String> names = new ArrayList<>();
    private CellPosition first;
    private boolean numeric;

    /**
     * @param classCount the number of classes, or 0 to take it from the labels
     * @param knownNames the classes' names in index order, or null to take them from the labels;
     *     with names given, {@code classCount} is their count
     */
    ClassLabels(int classCount, List<String> knownNames) {
        this.knownNames = knownNames == null ? null : List.copyOf(knownNames);
        this.classCount = knownNames == null ? classCount : knownNames.size();
    }

    /**
     * Adds the label in {@code cell}.
     *
     * @throws DatasetException naming the cell if it is empty, an index that is not a whole
     *     number or is out of range, a name not among the known names, or of the other kind
     *     (index or name) than the column's first label
     */
    void add(String cell, CellPosition at) {
        String text = cell.strip();
        if (text.isEmpty()) {
            throw at.error("the class label is empty");
        }
        boolean isNumber = NUMBER.matcher(text).matches();
        if (first == null) {
            first = at;
            numeric = isNumber;
        } else if (isNumber != numeric) {
            throw at.error("class label '" + text + "' is " + kind(isNumber) + ", but line " + first.line() + " has "
                    + kind(numeric) + "; a label column holds class indices or class names, not both");
        }
        if (isNumber) {
            indices.add(checkedIndex(at.parseClassIndex(text), at));
        } else if (knownNames != null) {
            int index = knownNames.indexOf(text);
            if (index < 0) {
                throw at.error("class '" + text + "' is not one of the classes " + knownNames);
            }
            indices.add(index);
        } else {
            names.add(text);
        }
    }

    /**
     * A data set of {@code features} with the labels added so far.
     *
     * @throws DatasetException naming {@code source} if the names are not as many as the class
     *     count asked for, or the largest index implies implausibly many classes
     */
    Dataset dataset(float[] features, long[] featureShape, Object source) {
        if (!numeric && knownNames == null) {
            List<String> sorted = List.copyOf(new TreeSet<>(names));
            if (classCount > 0 && sorted.size() != classCount) {
                throw new DatasetException(source + ": the labels name " + sorted.size() + " classes " + sorted
                        + ", expected " + classCount);
            }
            Map<String, Integer> indexOfName = new HashMap<>();
            for (String name : sorted) {
                indexOfName.put(name, indexOfName.size());
            }
            long[] classes = names.stream().mapToLong(indexOfName::get).toArray();
            return Dataset.ofClassLabels(features, featureShape, classes, sorted);
        }
        if (knownNames != null) {
            return Dataset.ofClassLabels(features, featureShape, indices.toArray(), knownNames);
        }
        if (classCount > 0) {
            return Dataset.ofClassLabels(features, featureShape, indices.toArray(), NumberedClasses.names(classCount));
        }
        return NumberedClasses.dataset(features, featureShape, indices.toArray(), source);
    }

    private long checkedIndex(long index, CellPosition at) {
        if (classCount > 0 && index >= classCount) {
            throw at.error("class label " + index + " is outside the " + classCount + " classes, numbered 0 to "
                    + (classCount - 1));
        }
        return index;
    }

    private static String kind(boolean number) {
        return number ? "a class index" : "a class name";
    }
}
