package dev.tern.onnx;

import com.google.protobuf.CodedOutputStream;
import dev.tern.ir.AtomicFiles;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.internal.DataFileRotation;
import dev.tern.onnx.internal.ExternalDataLocations;
import dev.tern.onnx.internal.ExternalDataWriter;
import dev.tern.onnx.internal.ModelEncoder;
import dev.tern.onnx.internal.TensorBytes;
import dev.tern.onnx.internal.TensorEncoder;
import dev.tern.onnx.internal.TernVersion;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes Tern IR as ONNX. Tensor data are written straight from the tensors' buffers, without
 * copies. The output is deterministic: the same model gives the same bytes, so a model read
 * back and written again is byte-identical. Every field the IR holds is written, the fields it
 * keeps without interpreting ({@link dev.tern.ir.OpaqueFields}) included.
 *
 * <p>The producer fields say who made the file's content. A model read and not
 * {@linkplain Model#isModified() modified} since keeps its own producer; a model Tern built or
 * changed is written with producer {@value #PRODUCER_NAME} and {@link #producerVersion()}.
 *
 * <p>Files are written beside their destination under a temporary name and then moved into
 * place, so a model can be written over the file (or data file) it was read from while its
 * tensors still map the old one.
 */
public final class OnnxExporter {
    /** The {@code producer_name} of a model Tern built or changed. */
    public static final String PRODUCER_NAME = ModelEncoder.PRODUCER_NAME;

    private static final int WRITE_BUFFER = 1 << 16;

    private OnnxExporter() {
    }

    /** The {@code producer_version} written beside {@link #PRODUCER_NAME}: this Tern's version. */
    public static String producerVersion() {
        return TernVersion.current();
    }

    /**
     * Writes {@code model} to {@code path} with {@link ExportOptions#defaults()}: everything
     * inline, unless the model is too big for one protobuf message.
     *
     * @throws ModelFormatException if the model cannot be expressed in ONNX (a node reads a
     *     value with an empty name, or opaque fields set by hand are not valid protobuf)
     * @throws IOException if writing fails
     */
    public static void write(Model model, Path path) throws IOException {
        write(model, path, ExportOptions.defaults());
    }

    /**
     * Writes {@code model} to {@code path}. With {@link ExportOptions#externalData()}, or
     * whenever the tensors exceed what one protobuf message can hold (2 GiB), tensors of at
     * least {@link ExportOptions#sizeThreshold()} bytes go to one data file beside the model
     * ({@code <file name>.data} unless named), at aligned offsets.
     *
     * <p>Writing over a model that keeps its tensors in the data file of that name, the new
     * data go to the alternate name ({@code model.onnx.alt.data}, {@code weights.alt.bin}), and
     * the old data file is deleted once the new model has replaced the old one: a process killed
     * at any moment leaves either the old model with its data or the new one with its data.
     * Data files of other names the old model used are left alone.
     *
     * @throws ModelFormatException if the model cannot be expressed in ONNX, or the model it
     *     replaces uses both the data file's name and its alternate
     * @throws IOException if writing fails
     */
    public static void write(Model model, Path path, ExportOptions options) throws IOException {
        Path target = path.toAbsolutePath();
        Path folder = target.getParent();
        boolean external = options.externalData() || TensorBytes.of(model) > TensorBytes.INLINE_LIMIT;
        DataFileRotation dataFiles = DataFileRotation.beside(target,
                options.externalDataFileName().orElse(target.getFileName() + ".data"));
        Path modelTemp = AtomicFiles.createSibling(target);
        Path dataTemp = null;
        try {
            ModelProto proto;
            if (external) {
                String dataName = dataFiles.nameToWrite();
                dataTemp = AtomicFiles.createSibling(folder.resolve(dataName));
                boolean anyData;
                try (ExternalDataWriter writer = new ExternalDataWriter(dataTemp, dataName)) {
                    proto = encode(model, TensorEncoder.external(writer, options.sizeThreshold()), path.toString());
                    anyData = !writer.isEmpty();
                }
                if (anyData) {
                    AtomicFiles.replace(dataTemp, folder.resolve(dataName));
                }
            } else {
                proto = encode(model, TensorEncoder.inline(), path.toString());
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(modelTemp), WRITE_BUFFER)) {
                CodedOutputStream coded = CodedOutputStream.newInstance(out, WRITE_BUFFER);
                proto.writeTo(coded);
                coded.flush();
            }
            AtomicFiles.replace(modelTemp, target);
            dataFiles.removeReplaced(ExternalDataLocations.of(proto));
        } finally {
            Files.deleteIfExists(modelTemp);
            if (dataTemp != null) {
                Files.deleteIfExists(dataTemp);
            }
        }
    }

    /**
     * The model as one serialized {@code ModelProto}, all tensors inline.
     *
     * @throws ModelFormatException if the tensors exceed what one protobuf message can hold
     *     (2 GiB); write such a model to a path, which puts them in external data
     */
    public static byte[] toBytes(Model model) {
        long tensorBytes = TensorBytes.of(model);
        if (tensorBytes > TensorBytes.INLINE_LIMIT) {
            throw new ModelFormatException("<bytes>: the model holds " + tensorBytes + " bytes of tensors, more"
                    + " than one protobuf message can hold (2 GiB); write it to a path with"
                    + " OnnxExporter.write, which puts the tensors in external data");
        }
        return new ModelEncoder(TensorEncoder.inline(), "<bytes>").encode(model).toByteArray();
    }

    /**
     * The model's structure as one serialized {@code ModelProto} in which the main graph's
     * initializers named in {@code initializerNames} carry no bytes: they stay in the graph
     * marked {@code data_location = EXTERNAL}, pointing at {@code location} (offset 0, their
     * byte length), and every other tensor is inline. This is for a runtime that is handed
     * those initializers' data separately and must not receive a copy (ONNX Runtime's
     * {@code SessionOptions.addInitializer}); nothing is written to {@code location}, and the
     * result is not a model that can be read back on its own.
     *
     * @throws ModelFormatException if a name is not an initializer of the main graph, names a
     *     sparse or STRING initializer (which have no external form), or the inline rest
     *     exceeds what one protobuf message can hold (2 GiB)
     */
    public static byte[] toStructureBytes(Model model, Set<String> initializerNames, String location) {
        List<Tensor> referenced = new ArrayList<>(initializerNames.size());
        for (String name : initializerNames) {
            Value value = model.graph().initializers().get(name);
            if (value == null || value.initializer() == null) {
                throw new ModelFormatException("<bytes>: graph '" + model.graph().name() + "' has no dense"
                        + " initializer '" + name + "' to leave out; dense initializers: "
                        + model.graph().initializers().keySet());
            }
            Tensor tensor = value.initializer();
            if (!tensor.elementType().isFixedWidth()) {
                throw new ModelFormatException("<bytes>: initializer '" + name + "' has element type "
                        + tensor.elementType() + ", which cannot be stored as external data");
            }
            referenced.add(tensor);
        }
        long inlineBytes = TensorBytes.of(model) - referenced.stream().mapToLong(Tensor::byteSize).sum();
        if (inlineBytes > TensorBytes.INLINE_LIMIT) {
            throw new ModelFormatException("<bytes>: the tensors kept inline hold " + inlineBytes + " bytes, more"
                    + " than one protobuf message can hold (2 GiB)");
        }
        TensorEncoder tensors = TensorEncoder.referencing(referenced, location);
        return new ModelEncoder(tensors, "<bytes>").encode(model).toByteArray();
    }

    /** Encodes, surfacing the external data writer's I/O failures as the IOException they are. */
    private static ModelProto encode(Model model, TensorEncoder tensors, String destination) throws IOException {
        try {
            return new ModelEncoder(tensors, destination).encode(model);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
