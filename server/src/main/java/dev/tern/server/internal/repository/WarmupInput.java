package dev.tern.server.internal.repository;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.server.client.Datatypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;

/**
 * One input of a {@link WarmupSample}: {@code {"data_type": "TYPE_FP32", "dims": [3], DATA}} where
 * DATA is one of {@code "zero_data": true}, {@code "random_data": true} or
 * {@code "input_data_file": "x.bin"}. A data file holds the tensor's raw little-endian bytes,
 * row-major, and lies in the model's {@code warmup/} folder: absolute paths, {@code ..} and links
 * that leave that folder are refused, as import refuses them for external data. Data types are
 * fixed-width numbers and BOOL; random data are uniform in [0, 1) for FP32 and FP64, any bit
 * pattern for integers.
 *
 * @param field where the entry is in {@code config.json}, for messages
 * @param dataFile the {@code input_data_file}, or null for generated data
 */
public record WarmupInput(String field, String name, ElementType elementType, long[] dims, Source source,
                          String dataFile) {
    /** The folder beside the version folders that warm-up data files are read from. */
    static final String FOLDER = "warmup";
    private static final Set<String> FIELDS = Set.of("data_type", "dims", "zero_data", "random_data",
            "input_data_file");
    private static final Set<ElementType> RANDOM_TYPES = Set.of(ElementType.FLOAT, ElementType.DOUBLE,
            ElementType.BOOL, ElementType.INT8, ElementType.UINT8, ElementType.INT16, ElementType.UINT16,
            ElementType.INT32, ElementType.UINT32, ElementType.INT64, ElementType.UINT64);

    /** Where an input's data come from. */
    public enum Source { ZERO, RANDOM, FILE }

    /**
     * This input's data for a request of {@code shape}.
     *
     * @param modelFolder the model's folder, whose {@code warmup/} folder holds data files
     * @throws IOException if the data file cannot be read
     * @throws IllegalArgumentException naming the field for a data file that is missing, leaves
     *     {@code warmup/} or has the wrong size
     */
    Tensor data(long[] shape, Path modelFolder, Random random) throws IOException {
        long bytes = elementType.byteSize(Arrays.stream(shape).reduce(1, Math::multiplyExact));
        return switch (source) {
            case ZERO -> Tensor.zeros(name, elementType, shape);
            case RANDOM -> Tensor.of(name, elementType, shape, randomBytes(bytes, random));
            case FILE -> Tensor.of(name, elementType, shape, fileBytes(modelFolder.resolve(FOLDER), bytes, shape));
        };
    }

    static WarmupInput read(String name, JsonNode node, String field, Path file) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + ": '" + field + "' must be an object, found " + node);
        }
        ModelConfig.requireKnownFields(node, FIELDS, file, field + ".");
        JsonNode type = node.get("data_type");
        String datatype = type == null || !type.isTextual() ? "" : type.textValue().replaceFirst("^TYPE_", "");
        ElementType elementType = Datatypes.elementType(datatype)
                .filter(RANDOM_TYPES::contains)
                .orElseThrow(() -> new IllegalArgumentException(file + ": '" + field + ".data_type' must be a"
                        + " numeric or BOOL datatype such as \"TYPE_FP32\", found " + type));
        JsonNode dimsNode = node.get("dims");
        if (dimsNode == null || !dimsNode.isArray()) {
            throw new IllegalArgumentException(file + ": '" + field + ".dims' must be a list of sizes, found "
                    + dimsNode);
        }
        long[] dims = new long[dimsNode.size()];
        for (int axis = 0; axis < dims.length; axis++) {
            JsonNode dim = dimsNode.get(axis);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.longValue() < 0) {
                throw new IllegalArgumentException(file + ": '" + field + ".dims' entries must be sizes >= 0"
                        + " (a warm-up request has a fixed shape), found " + dim);
            }
            dims[axis] = dim.longValue();
        }
        boolean zero = isTrue(node, "zero_data");
        boolean random = isTrue(node, "random_data");
        JsonNode dataFile = node.get("input_data_file");
        if ((zero ? 1 : 0) + (random ? 1 : 0) + (dataFile != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException(file + ": '" + field + "' needs exactly one of \"zero_data\": true,"
                    + " \"random_data\": true or \"input_data_file\"");
        }
        if (dataFile == null) {
            return new WarmupInput(field, name, elementType, dims, zero ? Source.ZERO : Source.RANDOM, null);
        }
        if (!dataFile.isTextual() || !isInside(dataFile.textValue())) {
            throw new IllegalArgumentException(file + ": '" + field + ".input_data_file' must be a relative path"
                    + " inside the model's " + FOLDER + "/ folder, without '..', found " + dataFile);
        }
        return new WarmupInput(field, name, elementType, dims, Source.FILE, dataFile.textValue());
    }

    private static boolean isTrue(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isBoolean() && value.booleanValue();
    }

    private static boolean isInside(String relative) {
        Path path = Path.of(relative);
        if (relative.isEmpty() || path.isAbsolute()) {
            return false;
        }
        for (Path part : path) {
            if (part.toString().equals("..")) {
                return false;
            }
        }
        return true;
    }

    private ByteBuffer randomBytes(long bytes, Random random) {
        ByteBuffer data = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
        while (data.hasRemaining()) {
            switch (elementType) {
                case FLOAT -> data.putFloat(random.nextFloat());
                case DOUBLE -> data.putDouble(random.nextDouble());
                case BOOL -> data.put((byte) (random.nextBoolean() ? 1 : 0));
                default -> data.put((byte) random.nextInt());
            }
        }
        return data.flip();
    }

    private ByteBuffer fileBytes(Path folder, long bytes, long[] shape) throws IOException {
        Path path = folder.resolve(dataFile);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("'" + field + ".input_data_file': no file " + path);
        }
        if (!path.toRealPath().startsWith(folder.toRealPath())) {
            throw new IllegalArgumentException("'" + field + ".input_data_file': " + path + " links outside "
                    + folder);
        }
        long size = Files.size(path);
        if (size != bytes) {
            throw new IllegalArgumentException("'" + field + ".input_data_file': " + path + " holds " + size
                    + " bytes, expected " + bytes + " for " + elementType + " " + Arrays.toString(shape));
        }
        byte[] content = Files.readAllBytes(path);
        return ByteBuffer.allocateDirect(content.length).put(content).flip();
    }
}
