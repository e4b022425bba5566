package dev.tern.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads a fine-tuning's training and validation examples from a CSV file (laid out as a
 * {@link CsvLayout} says) or a folder of images with one sub-folder per class, in a model's
 * feature shape. Class labels must fit the model's classes: the training data's are checked
 * against their count, the validation data's against the training data's classes. Every
 * problem is a {@link DatasetException} whose message names the file (and for a CSV the line
 * and column). Immutable.
 */
public final class ExampleFiles {
    private final CsvLayout layout;
    private final long[] featureShape;
    private final int classCount;

    private ExampleFiles(CsvLayout layout, long[] featureShape, int classCount) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.featureShape = featureShape.clone();
        this.classCount = classCount;
    }

    /**
     * Reads examples of {@code featureShape} labelled with one of {@code classCount} classes,
     * or with numbers to predict when {@code classCount} is 0.
     *
     * @throws IllegalArgumentException if {@code classCount} is negative
     */
    public static ExampleFiles of(CsvLayout layout, long[] featureShape, int classCount) {
        if (classCount < 0) {
            throw new IllegalArgumentException("class count must be 0 (numeric labels) or more, found " + classCount);
        }
        return new ExampleFiles(layout, featureShape, classCount);
    }

    /** Whether the labels are classes (indices or names), not numbers to predict. */
    public boolean classLabels() {
        return classCount > 0;
    }

    /** The training data at {@code path}. @throws DatasetException if it cannot be read or does not fit the model */
    public Dataset readTraining(Path path) {
        return read(path, null);
    }

    /**
     * The validation data at {@code path}, whose classes must be {@code training}'s.
     *
     * @throws DatasetException if it cannot be read, does not fit the model or names other classes
     */
    public Dataset readValidation(Path path, Dataset training) {
        return read(path, classLabels() ? training.classNames() : null);
    }

    /**
     * {@code data} split into training and validation parts: stratified for class labels, so
     * both parts keep the class proportions.
     *
     * @throws DatasetException if the fraction leaves a part (or a class's part) empty
     */
    public static Split split(Dataset data, double validationFraction, long seed) {
        return data.labelKind() == LabelKind.CLASS_INDEX
                ? data.splitStratified(validationFraction, seed)
                : data.split(validationFraction, seed);
    }

    /** @param classNames the classes the labels must be among, or null for the model's class count */
    private Dataset read(Path path, List<String> classNames) {
        if (!Files.exists(path)) {
            throw new DatasetException(path + ": no such file or folder");
        }
        try {
            return Files.isDirectory(path) ? readImages(path, classNames) : readCsv(path, classNames);
        } catch (IOException e) {
            throw new DatasetException(path + ": " + e.getMessage(), e);
        }
    }

    private Dataset readCsv(Path file, List<String> classNames) throws IOException {
        CsvDatasetReader reader = layout.reader(file).featureShape(featureShape);
        if (!classLabels()) {
            return reader.targets().read();
        }
        return (classNames == null ? reader.classCount(classCount) : reader.classNames(classNames)).read();
    }

    private Dataset readImages(Path folder, List<String> classNames) throws IOException {
        if (!classLabels()) {
            throw new DatasetException(folder + ": an image folder has class labels, but the model's output is one "
                    + "value, not class scores");
        }
        if (featureShape.length != 3 || (featureShape[0] != 1 && featureShape[0] != 3)) {
            throw new DatasetException(folder + ": images need a feature shape of 1xHxW or 3xHxW, found "
                    + Arrays.toString(featureShape));
        }
        Dataset images = ImageFolderReader.of(folder)
                .size(Math.toIntExact(featureShape[1]), Math.toIntExact(featureShape[2]))
                .colorMode(featureShape[0] == 1 ? ColorMode.GREYSCALE : ColorMode.RGB)
                .read();
        if (classNames != null && !images.classNames().equals(classNames)) {
            throw new DatasetException(folder + ": has the class folders " + images.classNames()
                    + " but the training data has " + classNames);
        }
        if (images.classCount() != classCount) {
            throw new DatasetException(folder + ": has " + images.classCount() + " class folders " + images.classNames()
                    + ", but the model scores " + classCount + " classes");
        }
        return images;
    }
}
