package dev.tern.onnx;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import dev.tern.onnx.internal.ExternalDataLocations;
import dev.tern.onnx.internal.ExternalDataResolver;
import dev.tern.onnx.internal.ModelDecoder;
import dev.tern.onnx.internal.ProtoReader;
import dev.tern.onnx.internal.TensorDecoder;
import dev.tern.onnx.internal.TestDataDecoder;
import dev.tern.onnx.internal.Where;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads ONNX models (and ONNX test-data files) into Tern's IR.
 *
 * <p>Reading from a path memory-maps the file and parses it with aliasing, so every weight's
 * {@code raw_data} becomes a {@link Tensor} over the mapped file rather than a copy on the
 * heap; external data files are mapped the same way. The mapping stays alive as long as any
 * tensor viewing it, and the file must not be changed while it is.
 *
 * <p>External data are looked up only inside the model's folder; see {@link #read(Path)}.
 *
 * <p>Every field of the ONNX schema up to IR version {@value Model#LATEST_IR_VERSION} is read.
 * A model of a newer IR version is read too, with one warning logged (SLF4J, logger
 * {@code dev.tern.onnx.internal.ModelDecoder}); fields Tern does not know are kept as
 * {@link dev.tern.ir.OpaqueFields} and written back by {@link OnnxExporter}. A model comes out
 * {@linkplain Model#isModified() unmodified}.
 */
public final class OnnxImporter {
    private OnnxImporter() {
    }

    /**
     * Reads a model file, memory-mapped, resolving external data relative to its folder.
     *
     * @throws ModelFormatException if the file is not a valid ONNX model Tern can read, naming
     *     the file and the field at fault; also if an external data location is absolute,
     *     contains {@code ..}, leads outside the folder through a link, names no file, or its
     *     offset and length do not fit the file or the tensor
     * @throws IOException if the file cannot be opened or mapped
     */
    public static Model read(Path path) throws IOException {
        String source = path.toString();
        ByteBuffer mapped = ProtoReader.map(path);
        ModelProto proto = ProtoReader.parse(mapped, ModelProto.parser(), "ONNX model (ModelProto)", source);
        return new ModelDecoder(ExternalDataResolver.in(folderOf(path)), source).decode(proto);
    }

    /**
     * Reads a model from bytes. The tensors view {@code bytes} directly, so the caller hands
     * the array over and must not modify it afterwards. A model with external data cannot be
     * read this way.
     *
     * @throws ModelFormatException if the bytes are not a valid ONNX model Tern can read
     *     (messages name {@code <bytes>}), or the model refers to external data
     */
    public static Model read(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ModelProto proto = ProtoReader.parse(bytes, ModelProto.parser(), "ONNX model (ModelProto)", "<bytes>");
        return new ModelDecoder(ExternalDataResolver.none(), "<bytes>").decode(proto);
    }

    /**
     * Reads a model from a stream, to its end, onto the heap; the stream is not closed. A model
     * with external data cannot be read this way; use {@link #read(InputStream, Path)}.
     *
     * @throws ModelFormatException if the content is not a valid ONNX model Tern can read
     *     (messages name {@code <stream>}), or the model refers to external data
     * @throws IOException if reading the stream fails
     */
    public static Model read(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        ModelProto proto = ProtoReader.parse(bytes, ModelProto.parser(), "ONNX model (ModelProto)", "<stream>");
        return new ModelDecoder(ExternalDataResolver.none(), "<stream>").decode(proto);
    }

    /**
     * Reads a model from a stream, to its end; the stream is not closed. External data are
     * resolved inside {@code externalDataFolder}, with the same rules as {@link #read(Path)}.
     *
     * @throws ModelFormatException if the content is not a valid ONNX model Tern can read, or
     *     its external data break the rules of {@link #read(Path)}
     * @throws IOException if reading the stream fails
     */
    public static Model read(InputStream in, Path externalDataFolder) throws IOException {
        byte[] bytes = in.readAllBytes();
        ModelProto proto = ProtoReader.parse(bytes, ModelProto.parser(), "ONNX model (ModelProto)", "<stream>");
        return new ModelDecoder(ExternalDataResolver.in(externalDataFolder), "<stream>").decode(proto);
    }

    /**
     * The distinct external data locations a model file refers to, as written in the file
     * (relative to its folder), in order of first appearance. Nothing is checked or opened
     * beyond the model file itself.
     *
     * @throws ModelFormatException if the file is not a valid {@code ModelProto}
     * @throws IOException if the file cannot be opened or mapped
     */
    public static List<String> externalDataFiles(Path path) throws IOException {
        ByteBuffer mapped = ProtoReader.map(path);
        ModelProto proto = ProtoReader.parse(mapped, ModelProto.parser(), "ONNX model (ModelProto)", path.toString());
        return ExternalDataLocations.of(proto);
    }

    /**
     * Reads a file holding one serialized {@code TensorProto}, as the ONNX backend test data
     * ({@code input_0.pb}, {@code output_0.pb}) do. The file is memory-mapped; external data
     * are resolved relative to its folder.
     *
     * @throws ModelFormatException if the file is not a valid tensor, naming the file and field
     * @throws IOException if the file cannot be opened or mapped
     */
    public static Tensor readTensor(Path tensorProtoFile) throws IOException {
        String source = tensorProtoFile.toString();
        TensorProto proto = ProtoReader.parse(ProtoReader.map(tensorProtoFile), TensorProto.parser(),
                "TensorProto", source);
        return new TensorDecoder(ExternalDataResolver.in(folderOf(tensorProtoFile))).decode(proto, Where.in(source));
    }

    /**
     * Reads an ONNX test-data file holding a value of {@code type}. The file's bytes do not say
     * which message they are, so the type decides: a tensor type reads a {@code TensorProto},
     * a sparse tensor type a {@code SparseTensorProto}, a sequence type a {@code SequenceProto},
     * a map type a {@code MapProto} and an optional type an {@code OptionalProto}.
     *
     * @throws ModelFormatException if the file is not a valid message of that kind
     * @throws IOException if the file cannot be opened or mapped
     */
    public static TestData readValue(Path file, ValueType type) throws IOException {
        Objects.requireNonNull(type, "type");
        return new TestDataDecoder(ExternalDataResolver.in(folderOf(file)), file.toString())
                .decode(ProtoReader.map(file), type);
    }

    private static Path folderOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toAbsolutePath().getRoot() : parent;
    }
}
