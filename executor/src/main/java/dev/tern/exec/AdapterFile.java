package dev.tern.exec;

import dev.tern.exec.internal.adapter.AdapterReader;
import dev.tern.exec.internal.adapter.AdapterWriter;
import dev.tern.ir.AtomicFiles;
import dev.tern.ir.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The contents of an ONNX Runtime LoRA adapter file ({@code .onnx_adapter}, format version 1):
 * named tensors that a run feeds to the model inputs of the same names, plus two version
 * numbers ONNX Runtime stores but does not interpret. Immutable; pure data with no native
 * memory. {@link Runtime#loadAdapter} loads a file for runs.
 *
 * @param adapterVersion the adapter's own version
 * @param modelVersion the version of the base model it was made for
 * @param parameters fixed-width tensors with distinct, non-empty names, in file order
 */
public record AdapterFile(int adapterVersion, int modelVersion, List<Tensor> parameters) {
    /**
     * @throws IllegalArgumentException if a parameter has no name, a name taken by another,
     *     or a variable-width element type (strings)
     */
    public AdapterFile {
        parameters = List.copyOf(parameters);
        Set<String> names = new HashSet<>();
        for (Tensor parameter : parameters) {
            if (parameter.name().isEmpty()) {
                throw new IllegalArgumentException("an adapter parameter needs a name: ONNX Runtime binds it to the"
                        + " model input of that name");
            }
            if (!names.add(parameter.name())) {
                throw new IllegalArgumentException("adapter parameter '" + parameter.name() + "' appears twice");
            }
            if (!parameter.elementType().isFixedWidth()) {
                throw new IllegalArgumentException("adapter parameter '" + parameter.name() + "' has element type "
                        + parameter.elementType() + "; the adapter format holds fixed-width types only");
            }
        }
    }

    /** An adapter of {@code parameters} with both versions 0. */
    public static AdapterFile of(List<Tensor> parameters) {
        return new AdapterFile(0, 0, parameters);
    }

    /**
     * Reads an adapter file. The file is memory-mapped and its parameters are views of the
     * mapping, not copies.
     *
     * @throws AdapterFormatException if the file is not an adapter of format version 1
     * @throws UncheckedIOException if the file cannot be read
     */
    public static AdapterFile read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return fromBytes(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read adapter file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses an adapter from {@code bytes} (position to limit), which it keeps: the parameters
     * are views of it.
     *
     * @param source names the bytes in error messages
     * @throws AdapterFormatException if the bytes are not an adapter of format version 1
     */
    public static AdapterFile fromBytes(ByteBuffer bytes, String source) {
        return AdapterReader.read(bytes, source);
    }

    /** The adapter in ONNX Runtime's format, in a new buffer from its position to its limit. */
    public ByteBuffer toBytes() {
        return AdapterWriter.write(adapterVersion, modelVersion, parameters);
    }

    /**
     * Writes the adapter to {@code file} atomically: a reader sees the old file or the whole new one.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public void write(Path file) {
        ByteBuffer bytes = toBytes();
        try {
            AtomicFiles.write(file, out -> Channels.newChannel(out).write(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write adapter file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The parameter named {@code name}, if there is one. */
    public Optional<Tensor> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
