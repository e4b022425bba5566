package dev.tern.ir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-made {@code .npy} bytes, so tests control every field, including ones Tern never writes. */
final class NpyBytes {
    private NpyBytes() {
    }

    /** A file of format {@code major}.0 with {@code dictionary} as header (padded with spaces and a newline) and {@code data}. */
    static byte[] of(int major, String dictionary, byte[] data) {
        byte[] text = (dictionary + "\n").getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer out = ByteBuffer.allocate(8 + lengthBytes + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            out.putShort((short) text.length);
        } else {
            out.putInt(text.length);
        }
        return out.put(text).put(data).array();
    }

    static String dictionary(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    }
}
