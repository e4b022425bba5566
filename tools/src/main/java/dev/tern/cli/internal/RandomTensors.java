package dev.tern.cli.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random tensors for inputs nobody supplied. Floating-point elements are in [0, 1); integers
 * are 0 or 1, the only values valid for every integer input of common models at once: token
 * ids, attention masks, and token type ids, which BERT-like models (MiniLM) limit to [0, 2).
 * Booleans are fair coin flips; strings are short words. The same seed gives the same
 * tensors on every platform ({@link Random} is specified exactly).
 */
final class RandomTensors {
    static final int INTEGER_BOUND = 2;

    private final Random random;

    RandomTensors(long seed) {
        this.random = new Random(seed);
    }

    /**
     * A tensor named {@code name} of {@code type} and {@code dims}, filled at random.
     *
     * @throws CliFailure (usage) for an element type with no sensible random values (complex,
     *     float8, 4- and 2-bit types) or a tensor too large for one buffer
     */
    Tensor generate(String name, ElementType type, long[] dims) {
        int count = elementCount(name, dims);
        if (type == ElementType.STRING) {
            List<byte[]> words = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                words.add(("word" + random.nextInt(INTEGER_BOUND)).getBytes(StandardCharsets.UTF_8));
            }
            return Tensor.ofStrings(name, dims, words);
        }
        if (!isGenerated(type)) {
            throw CliFailure.usage("input '" + name + "' has element type " + type.onnxName()
                    + ", which tern does not generate at random; give it with --input " + name + "=FILE.npy");
        }
        ByteBuffer data = ByteBuffer.allocateDirect(Math.toIntExact(type.byteSize(count)))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            putRandom(data, type);
        }
        data.flip();
        return Tensor.of(name, type, dims, data);
    }

    private static boolean isGenerated(ElementType type) {
        return switch (type) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, BOOL -> true;
            default -> false;
        };
    }

    private void putRandom(ByteBuffer data, ElementType type) {
        switch (type) {
            case FLOAT -> data.putFloat(random.nextFloat());
            case DOUBLE -> data.putDouble(random.nextDouble());
            case FLOAT16 -> data.putShort(randomFloat16());
            case BFLOAT16 -> data.putShort(randomBfloat16());
            case INT8, UINT8 -> data.put((byte) random.nextInt(INTEGER_BOUND));
            case INT16, UINT16 -> data.putShort((short) random.nextInt(INTEGER_BOUND));
            case INT32, UINT32 -> data.putInt(random.nextInt(INTEGER_BOUND));
            case INT64, UINT64 -> data.putLong(random.nextInt(INTEGER_BOUND));
            case BOOL -> data.put((byte) (random.nextBoolean() ? 1 : 0));
            default -> throw new IllegalArgumentException("no random values for " + type);
        }
    }

    /**
     * A float16 k/1024 for a random k in [0, 1024). Such values need at most 10 significant
     * bits and are at least 2^-10, so float16 holds them exactly as normal numbers and the
     * float's bits convert by re-biasing the exponent and dropping the low mantissa bits.
     */
    private short randomFloat16() {
        int k = random.nextInt(1024);
        if (k == 0) {
            return 0;
        }
        int bits = Float.floatToRawIntBits(k / 1024f);
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        int mantissa = (bits & 0x7fffff) >>> 13;
        return (short) (exponent << 10 | mantissa);
    }

    /**
     * A bfloat16 k/256 for a random k in [0, 256): exact in bfloat16's 8 significant bits, so
     * it is the float's upper half.
     */
    private short randomBfloat16() {
        return (short) (Float.floatToRawIntBits(random.nextInt(256) / 256f) >>> 16);
    }

    private static int elementCount(String name, long[] dims) {
        // At most 8 bytes an element, so this count fits one buffer for every type generated.
        long limit = Integer.MAX_VALUE / Long.BYTES;
        long count = 1;
        for (long dim : dims) {
            if (dim != 0 && count > limit / dim) {
                throw CliFailure.usage("input '" + name + "' of shape " + Arrays.toString(dims)
                        + " has too many elements to generate; choose smaller sizes with --dim");
            }
            count *= dim;
        }
        return (int) count;
    }
}
