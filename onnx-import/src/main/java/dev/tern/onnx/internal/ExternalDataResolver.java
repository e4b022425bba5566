package dev.tern.onnx.internal;

import dev.tern.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the bytes of tensors stored outside the model file ({@code data_location = EXTERNAL}).
 * A {@code location} is resolved only inside the model's folder: absolute paths, {@code ..}
 * segments and links whose target lies outside the folder are refused, so a model cannot
 * make Tern read arbitrary files. Data files are memory-mapped once each and shared by every
 * tensor in them; nothing is copied.
 */
public final class ExternalDataResolver {
    private final Path folder;
    private final Map<Path, FileMapping> mappings = new HashMap<>();
    private Path realFolder;

    private ExternalDataResolver(Path folder) {
        this.folder = folder;
    }

    /** Resolves locations relative to {@code folder}. */
    public static ExternalDataResolver in(Path folder) {
        return new ExternalDataResolver(folder.toAbsolutePath().normalize());
    }

    /** For models read from bytes or a stream: any external tensor is an error. */
    public static ExternalDataResolver none() {
        return new ExternalDataResolver(null);
    }

    /**
     * The {@code byteSize} bytes of an external tensor, as a read-only view of the mapped file.
     *
     * @throws dev.tern.onnx.ModelFormatException naming the tensor and location if the
     *     location is unsafe or missing, the file is absent, or offset and length do not fit
     */
    ByteBuffer read(TensorProto proto, long byteSize, Where where) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto entry : proto.getExternalDataList()) {
            switch (entry.getKey()) {
                case "location" -> location = entry.getValue();
                case "offset" -> offset = nonNegative(entry, where);
                case "length" -> length = nonNegative(entry, where);
                default -> {
                    // "checksum" and keys from newer writers carry nothing we need
                }
            }
        }
        if (location == null || location.isEmpty()) {
            throw where.fail("data_location is EXTERNAL but external_data has no 'location'");
        }
        if (length >= 0 && length != byteSize) {
            throw where.fail("external_data length " + length + " differs from the tensor's size, "
                    + byteSize + " bytes");
        }
        FileMapping mapping = mapping(location, where);
        if (offset > mapping.size || byteSize > mapping.size - offset) {
            throw where.fail("external_data offset " + offset + " + length " + byteSize
                    + " runs past the end of '" + location + "' (" + mapping.size + " bytes)");
        }
        return mapping.slice(offset, byteSize, location, where);
    }

    /**
     * Checks a location the way {@link #read} does and returns the real path it names.
     *
     * @throws dev.tern.onnx.ModelFormatException if it is no valid path, is absolute, climbs out
     *     with {@code ..}, escapes through a link, or names no file
     */
    Path resolve(String location, Where where) {
        if (folder == null) {
            throw where.fail("data is in external file '" + location + "', but the model was not read from"
                    + " a file, so there is no folder to find it in; read it from its path");
        }
        Path path = parse(location, where);
        if (isAbsolute(location, path)) {
            throw where.fail("external_data location '" + location
                    + "' is an absolute path; only paths relative to the model's folder are allowed");
        }
        for (String segment : location.split("[/\\\\]")) {
            if (segment.equals("..")) {
                throw where.fail("external_data location '" + location
                        + "' contains '..'; only paths inside the model's folder are allowed");
            }
        }
        Path candidate = folder.resolve(path).normalize();
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(realFolder())) {
                throw where.fail("external_data location '" + location + "' leads to " + real
                        + ", outside the model's folder " + realFolder());
            }
            return real;
        } catch (NoSuchFileException e) {
            throw where.fail("external_data location '" + location + "' names no file in " + folder);
        } catch (IOException e) {
            throw where.fail("cannot resolve external_data location '" + location + "': " + e, e);
        }
    }

    private Path realFolder() throws IOException {
        if (realFolder == null) {
            realFolder = folder.toRealPath();
        }
        return realFolder;
    }

    private FileMapping mapping(String location, Where where) {
        Path real = resolve(location, where);
        FileMapping mapping = mappings.get(real);
        if (mapping == null) {
            try (FileChannel channel = FileChannel.open(real, StandardOpenOption.READ)) {
                long size = channel.size();
                // Files up to 2 GiB are mapped whole, once; bigger ones per tensor (a mapping is an int-indexed buffer).
                ByteBuffer whole = size <= Integer.MAX_VALUE
                        ? channel.map(FileChannel.MapMode.READ_ONLY, 0, size) : null;
                mapping = new FileMapping(real, size, whole);
            } catch (IOException e) {
                throw where.fail("cannot map external data file '" + location + "': " + e, e);
            }
            mappings.put(real, mapping);
        }
        return mapping;
    }

    /** The location as a path of this platform; characters no path may hold (NUL on Unix) fail it. */
    private static Path parse(String location, Where where) {
        try {
            return Path.of(location);
        } catch (InvalidPathException e) {
            throw where.fail("external_data location '" + location + "' is not a valid path: " + e.getReason());
        }
    }

    private static boolean isAbsolute(String location, Path path) {
        return location.startsWith("/") || location.startsWith("\\")
                || (location.length() >= 2 && location.charAt(1) == ':')
                || path.isAbsolute();
    }

    private static long nonNegative(StringStringEntryProto entry, Where where) {
        try {
            long value = Long.parseLong(entry.getValue());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the other bad values
        }
        throw where.fail("external_data " + entry.getKey() + " '" + entry.getValue()
                + "' is not a non-negative integer");
    }

    /** One external data file: mapped whole when it fits one buffer, else mapped per tensor. */
    private record FileMapping(Path file, long size, ByteBuffer whole) {
        ByteBuffer slice(long offset, long length, String location, Where where) {
            if (whole != null) {
                return whole.slice((int) offset, (int) length).asReadOnlyBuffer();
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                return channel.map(FileChannel.MapMode.READ_ONLY, offset, length).asReadOnlyBuffer();
            } catch (IOException e) {
                throw where.fail("cannot map external data file '" + location + "': " + e, e);
            }
        }
    }

    /** The raw {@code location} entries of a tensor, for listing a model's data files without reading them. */
    static List<String> locations(TensorProto proto) {
        return proto.getExternalDataList().stream()
                .filter(entry -> entry.getKey().equals("location"))
                .map(StringStringEntryProto::getValue)
                .toList();
    }
}
