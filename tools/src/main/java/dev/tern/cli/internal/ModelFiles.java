package dev.tern.cli.internal;

import dev.tern.ir.AtomicFiles;
import dev.tern.ir.Model;
import dev.tern.ir.TernException;
import dev.tern.onnx.ExportOptions;
import dev.tern.onnx.OnnxExporter;
import dev.tern.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes model files for the commands, turning every failure into a
 * {@link CliFailure} that names the file.
 */
final class ModelFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);

    private ModelFiles() {
    }

    /** Imports {@code file} (memory-mapped). @throws CliFailure naming the file if it cannot */
    static Model read(Path file) {
        long start = System.nanoTime();
        try {
            Model model = OnnxImporter.read(file);
            LOG.debug("imported {} in {} ms", file, millisSince(start));
            return model;
        } catch (IOException | TernException e) {
            throw CliFailure.inFile(file, e);
        }
    }

    /** The external data files {@code file} refers to. @throws CliFailure naming the file if it cannot */
    static List<String> externalDataFiles(Path file) {
        try {
            return OnnxImporter.externalDataFiles(file);
        } catch (IOException | TernException e) {
            throw CliFailure.inFile(file, e);
        }
    }

    /** Exports {@code model} to {@code file}. @throws CliFailure naming the file if it cannot */
    static void write(Model model, Path file, ExportOptions options) {
        long start = System.nanoTime();
        try {
            OnnxExporter.write(model, file, options);
            LOG.debug("wrote {} in {} ms", file, millisSince(start));
        } catch (IOException | TernException e) {
            throw CliFailure.inFile(file, e);
        }
    }

    /**
     * Exports {@code model} (weights inline) to a temporary file beside {@code file}, then
     * renames it over {@code file}, so a reader never sees a half-written model.
     *
     * @throws CliFailure naming the file if it cannot
     */
    static void writeAtomically(Model model, Path file) {
        Path target = file.toAbsolutePath();
        Path temporary = null;
        try {
            temporary = AtomicFiles.createSibling(target);
            OnnxExporter.write(model, temporary, ExportOptions.defaults());
            AtomicFiles.replace(temporary, target);
        } catch (IOException | TernException e) {
            throw CliFailure.inFile(file, e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Only a leftover temporary file; the failure that matters is already reported.
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
