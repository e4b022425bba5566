package dev.tern.train.data;

import dev.tern.train.data.internal.FloatList;
import dev.tern.train.data.internal.ImagePixels;
import dev.tern.train.data.internal.LongList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads a data set from a folder of images sorted into one sub-folder per class:
 * {@code <dir>/<class name>/*.png|jpg|jpeg}. Class indices follow the sorted folder names, and
 * images within a class are read in sorted file-name order, so the result does not depend on
 * the file system's listing order.
 *
 * <p>Each image is decoded with {@code javax.imageio}, converted to the {@link ColorMode},
 * resized bilinearly to the given size and stored as features of shape
 * {@code [channels, height, width]} with values 0-255 (normalize with {@link Normalization}).
 * Bilinear resizing samples without low-pass filtering, so strong down-scaling aliases.
 */
public final class ImageFolderReader {
    private final Path directory;
    private int height;
    private int width;
    private ColorMode colorMode = ColorMode.GREYSCALE;

    private ImageFolderReader(Path directory) {
        this.directory = directory;
    }

    /** A reader of the class folders under {@code directory}; set the size before reading. */
    public static ImageFolderReader of(Path directory) {
        return new ImageFolderReader(Objects.requireNonNull(directory, "directory"));
    }

    /**
     * Resizes every image to {@code height} x {@code width} pixels.
     *
     * @throws DatasetException if a size is below 1
     */
    public ImageFolderReader size(int newHeight, int newWidth) {
        if (newHeight < 1 || newWidth < 1) {
            throw new DatasetException("image size must be at least 1x1, found " + newHeight + "x" + newWidth);
        }
        this.height = newHeight;
        this.width = newWidth;
        return this;
    }

    /** Greyscale (the default) or RGB features. */
    public ImageFolderReader colorMode(ColorMode mode) {
        this.colorMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Reads every image.
     *
     * @throws DatasetException if no size was set, the folder has no class folders, a class
     *     folder has no images, or a file cannot be decoded (the message names the file)
     * @throws IOException if a folder or file cannot be read
     */
    public Dataset read() throws IOException {
        if (height == 0) {
            throw new DatasetException(directory + ": set the image size before reading");
        }
        List<Path> classFolders = sorted(Files.list(directory).filter(Files::isDirectory));
        if (classFolders.isEmpty()) {
            throw new DatasetException(directory + ": no class folders; expected <dir>/<class name>/<image files>");
        }
        FloatList features = new FloatList();
        LongList classes = new LongList();
        for (int c = 0; c < classFolders.size(); c++) {
            List<Path> images = sorted(Files.list(classFolders.get(c)).filter(ImageFolderReader::isImageFile));
            if (images.isEmpty()) {
                throw new DatasetException(classFolders.get(c) + ": class folder has no .png, .jpg or .jpeg files");
            }
            for (Path image : images) {
                float[] pixels = ImagePixels.read(image, colorMode == ColorMode.RGB, height, width);
                for (float value : pixels) {
                    features.add(value);
                }
                classes.add(c);
            }
        }
        List<String> classNames = classFolders.stream().map(p -> p.getFileName().toString()).toList();
        return Dataset.ofClassLabels(features.toArray(), new long[] {colorMode.channels(), height, width},
                classes.toArray(), classNames);
    }

    private static List<Path> sorted(Stream<Path> entries) {
        try (entries) {
            return entries.sorted().toList();
        }
    }

    private static boolean isImageFile(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(path) && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }
}
