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

/**
 * Reads {@code tern finetune}'s training and validation data: a CSV file (one label column,
 * every other column a feature) or a folder of images with one sub-folder per class. Every
 * problem with the data is bad usage (exit 2), reported with the reader's own message, which
 * names the file, line and column.
 */
final class TrainingData {
    private final String labelColumn;
    private final long[] featureShape;
    private final boolean classLabels;

    /**
     * @param featureShape the shape of one example, as the model's first input wants it
     * @param classLabels whether labels are class indices (otherwise float targets)
     */
    TrainingData(String labelColumn, long[] featureShape, boolean classLabels) {
        this.labelColumn = labelColumn;
        this.featureShape = featureShape.clone();
        this.classLabels = classLabels;
    }

    /** The data set at {@code path}. @throws CliFailure (usage) if it cannot be read */
    Dataset read(Path path) {
        if (!Files.exists(path)) {
            throw CliFailure.usage(path, "no such file or folder");
        }
        try {
            return Files.isDirectory(path) ? readImages(path) : readCsv(path);
        } catch (IOException | DatasetException e) {
            throw CliFailure.usage(OneLine.of(e), e);
        }
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

    private Dataset readCsv(Path file) throws IOException {
        CsvDatasetReader reader = CsvDatasetReader.of(file, labelColumn).featureShape(featureShape);
        return classLabels ? reader.read() : reader.targets().read();
    }

    private Dataset readImages(Path folder) throws IOException {
        if (!classLabels) {
            throw CliFailure.usage(folder, "an image folder has class labels; use --loss ce");
        }
        if (featureShape.length != 3 || (featureShape[0] != 1 && featureShape[0] != 3)) {
            throw CliFailure.usage(folder, "images need a feature shape of 1xHxW or 3xHxW, found "
                    + Arrays.toString(featureShape) + "; set --feature-shape");
        }
        return ImageFolderReader.of(folder)
                .size(Math.toIntExact(featureShape[1]), Math.toIntExact(featureShape[2]))
                .colorMode(featureShape[0] == 1 ? ColorMode.GREYSCALE : ColorMode.RGB)
                .read();
    }
}
