package dev.tern.onnx.internal;

import dev.tern.onnx.ModelFormatException;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the name of the external data file a model write creates so that the model and data
 * file it replaces stay a readable pair until the new model takes the old one's place, whatever
 * moment the process dies at. Model and data are two files, and no file system renames two
 * files at once; so the new data never goes over the file the current model reads. It goes to
 * the name asked for ({@code model.onnx.data}) unless the current model refers to that, and then
 * to its alternate ({@code model.onnx.alt.data}): writes over one model take the two names in
 * turn. The order is: the data file (written beside, renamed into place), then the model (the
 * same), which is the moment the new pair replaces the old, then {@link #removeReplaced} deletes
 * the data file only the old model used.
 *
 * <p>Only these two names are managed; any other data file the old model used is left alone,
 * since other models may share it.
 */
public final class DataFileRotation {
    private static final Logger LOG = LoggerFactory.getLogger(DataFileRotation.class);

    private final Path folder;
    private final String requested;
    private final String alternate;
    private final List<String> currentlyReferenced;

    private DataFileRotation(Path folder, String requested, List<String> currentlyReferenced) {
        this.folder = folder;
        this.requested = requested;
        this.alternate = alternateOf(requested);
        this.currentlyReferenced = currentlyReferenced;
    }

    /**
     * The rotation for writing {@code model} with external data asked to go to
     * {@code requested}, beside it; reads which data files the model now at {@code model}, if
     * any, refers to. A file there that is not a readable model has no data to keep.
     *
     * @throws IOException if the existing model cannot be read for another reason than its content
     */
    public static DataFileRotation beside(Path model, String requested) throws IOException {
        Path folder = model.toAbsolutePath().getParent();
        if (!Files.isRegularFile(model)) {
            return new DataFileRotation(folder, requested, List.of());
        }
        List<String> referenced;
        try {
            ByteBuffer mapped = ProtoReader.map(model);
            referenced = ExternalDataLocations.of(ProtoReader.parse(mapped, ModelProto.parser(),
                    "ONNX model (ModelProto)", model.toString()));
        } catch (ModelFormatException e) {
            referenced = List.of();
        }
        return new DataFileRotation(folder, requested, referenced);
    }

    /**
     * The name to write the new data file under: the one asked for, or its alternate when the
     * current model uses the one asked for.
     *
     * @throws ModelFormatException if the current model uses both names, so neither can be
     *     written without breaking it before it is replaced
     */
    public String nameToWrite() {
        if (!currentlyReferenced.contains(requested)) {
            return requested;
        }
        if (!currentlyReferenced.contains(alternate)) {
            return alternate;
        }
        throw new ModelFormatException(folder + ": the model being replaced keeps its tensors in both '" + requested
                + "' and '" + alternate + "', so neither can take the new data while it is still in place;"
                + " choose another external data file name");
    }

    /**
     * Once the new model is in place, deletes the managed data file that the old model used and
     * {@code nowReferenced} (the new model's data files) does not. A file that cannot be deleted
     * (on Windows, one still mapped) is left, with a warning: nothing reads it any more.
     */
    public void removeReplaced(List<String> nowReferenced) {
        for (String name : List.of(requested, alternate)) {
            if (currentlyReferenced.contains(name) && !nowReferenced.contains(name)) {
                Path stale = folder.resolve(name);
                try {
                    Files.deleteIfExists(stale);
                } catch (IOException e) {
                    LOG.warn("left {} behind: the model that used it was replaced, but it cannot be deleted ({})",
                            stale, e.toString());
                }
            }
        }
    }

    /** {@code name} with {@code .alt} before its extension: {@code model.onnx.alt.data}, {@code weights.alt}. */
    static String alternateOf(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? name + ".alt" : name.substring(0, dot) + ".alt" + name.substring(dot);
    }
}
