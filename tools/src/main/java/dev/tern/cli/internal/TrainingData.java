package dev.tern.cli.internal;

import dev.tern.train.data.ColorMode;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.DatasetException;
import dev.tern.train.data.ImageFolderReader;
import dev.tern.train.data.LabelKind;
import dev.tern.train.data.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads {@code tern finetune}'s training and validation data: a CSV file (one label column,
 * every other column a feature) or a folder of images with one sub-folder per class. Class
 * labels must fit the model's classes: the training data's are checked against their count,
 * the validation data's against the training data's classes. Every problem with the data is
 * bad usage (exit 2), reported with the reader's own message, which names the file, line and
 * column.
 */
final class TrainingData {
    private final CsvTableOptions table;
    private final long[] featureShape;
    private final TrainingTarget target;

    /**
     * @param featureShape the shape of one example, as the model's first input wants it
     * @param target whether labels are classes, and how many the model scores
     */
    TrainingData(CsvTableOptions table, long[] featureShape, TrainingTarget target) {
        this.table = table;
        this.featureShape = featureShape.clone();
        this.target = target;
    }

    /** The training data at {@code path}. @throws CliFailure (usage) if it cannot be read or does not fit the model */
    Dataset readTraining(Path path) {
        return read(path, null);
    }

    /**
     * The validation data at {@code path}, whose classes are {@code training}'s.
     *
     * @throws CliFailure (usage) if it cannot be read or names other classes
     */
    Dataset readValidation(Path path, Dataset training) {
        return read(path, target.classLabels() ? training.classNames() : null);
    }

    /**
     * The training data split into training and validation parts: stratified for class labels,
     * so both parts keep the class proportions.
     */
    static Split split(Dataset data, double validationFraction, long seed) {
        try {
            return data.labelKind() == LabelKind.CLASS_INDEX
                    ? data.splitStratified(validationFraction, seed)
                    : data.split(validationFraction, seed);
        } catch (DatasetException e) {
            throw CliFailure.usage("--split: " + OneLine.of(e), e);
        }
    }

    /** @param classNames the classes the labels must be among, or null for the model's class count */
    private Dataset read(Path path, List<String> classNames) {
        if (!Files.exists(path)) {
            throw CliFailure.usage(path, "no such file or folder");
        }
        try {
            return Files.isDirectory(path) ? readImages(path, classNames) : readCsv(path, classNames);
        } catch (IOException | DatasetException e) {
            throw CliFailure.usage(OneLine.of(e), e);
        }
    }

    private Dataset readCsv(Path file, List<String> classNames) throws IOException {
        CsvDatasetReader reader = table.reader(file).featureShape(featureShape);
        if (!target.classLabels()) {
            return reader.targets().read();
        }
        return (classNames == null ? reader.classCount(target.classCount()) : reader.classNames(classNames)).read();
    }

    private Dataset readImages(Path folder, List<String> classNames) throws IOException {
        if (!target.classLabels()) {
            throw CliFailure.usage(folder, "an image folder has class labels, but the model's output is one value, "
                    + "not class scores");
        }
        if (featureShape.length != 3 || (featureShape[0] != 1 && featureShape[0] != 3)) {
            throw CliFailure.usage(folder, "images need a feature shape of 1xHxW or 3xHxW, found "
                    + Arrays.toString(featureShape) + "; set --feature-shape");
        }
        Dataset images = ImageFolderReader.of(folder)
                .size(Math.toIntExact(featureShape[1]), Math.toIntExact(featureShape[2]))
                .colorMode(featureShape[0] == 1 ? ColorMode.GREYSCALE : ColorMode.RGB)
                .read();
        if (classNames != null && !images.classNames().equals(classNames)) {
            throw CliFailure.usage(folder, "has the class folders " + images.classNames()
                    + " but the training data has " + classNames);
        }
        if (images.classCount() != target.classCount()) {
            throw CliFailure.usage(folder, "has " + images.classCount() + " class folders " + images.classNames()
                    + ", but the model scores " + target.classCount() + " classes");
        }
        return images;
    }
}
