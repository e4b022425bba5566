package dev.tern.onnx.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import dev.tern.onnx.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Parses protobuf messages so that {@code bytes} fields alias the input instead of being
 * copied. Only one protobuf-java call path does that (measured): wrapping the input with
 * {@link UnsafeByteOperations#unsafeWrap}, asking the resulting {@link ByteString} for its
 * coded input, and enabling aliasing on it. Every {@code parseFrom} overload and
 * {@code CodedInputStream.newInstance(ByteBuffer)} copy.
 */
public final class ProtoReader {
    /**
     * Message nesting protobuf accepts. A subgraph costs three levels (graph, node, attribute),
     * so this leaves room for {@link GraphDecoder#MAX_SUBGRAPH_DEPTH} levels of subgraphs
     * while still stopping recursion bombs long before the stack runs out.
     */
    static final int RECURSION_LIMIT = 300;

    private ProtoReader() {
    }

    /**
     * Maps a whole file read-only. The mapping lives as long as any buffer sliced from it.
     *
     * @throws ModelFormatException if the file is over 2 GiB, more than one protobuf message can hold
     */
    public static ByteBuffer map(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new ModelFormatException(file + ": file has " + size + " bytes, but one protobuf"
                        + " message cannot exceed 2 GiB; a model this big keeps its weights in external data");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
    }

    /**
     * Parses {@code input} as one {@code messageName} message whose {@code bytes} fields are
     * views of {@code input}, which must therefore never change afterwards.
     *
     * @throws ModelFormatException naming {@code source} if the bytes are not such a message
     */
    public static <T extends MessageLite> T parse(ByteBuffer input, Parser<T> parser, String messageName,
                                                  String source) {
        return parse(UnsafeByteOperations.unsafeWrap(input), parser, messageName, source);
    }

    /** Like {@link #parse(ByteBuffer, Parser, String, String)}, aliasing a byte array. */
    public static <T extends MessageLite> T parse(byte[] input, Parser<T> parser, String messageName,
                                                  String source) {
        return parse(UnsafeByteOperations.unsafeWrap(input), parser, messageName, source);
    }

    private static <T extends MessageLite> T parse(ByteString bytes, Parser<T> parser, String messageName,
                                                   String source) {
        CodedInputStream input = bytes.newCodedInput();
        input.enableAliasing(true);
        input.setSizeLimit(Integer.MAX_VALUE);
        input.setRecursionLimit(RECURSION_LIMIT);
        try {
            return parser.parseFrom(input, ExtensionRegistryLite.getEmptyRegistry());
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(source + ": not a valid " + messageName + " (" + bytes.size()
                    + " bytes): " + e.getMessage(), e);
        }
    }
}
