package dev.tern.train.data.internal;

/**
 * Bilinear resizing of one channel with pixel centres aligned (the convention of OpenCV's
 * {@code INTER_LINEAR} and ONNX Resize's {@code half_pixel}), so a same-size resize is exact.
 */
final class Bilinear {
    private Bilinear() {
    }

    static void resize(float[] source, int sourceHeight, int sourceWidth,
                       float[] target, int targetOffset, int height, int width) {
        for (int y = 0; y < height; y++) {
            float sy = sourceCoordinate(y, sourceHeight, height);
            int y0 = (int) Math.floor(sy);
            float fy = sy - y0;
            int top = clamp(y0, sourceHeight);
            int bottom = clamp(y0 + 1, sourceHeight);
            for (int x = 0; x < width; x++) {
                float sx = sourceCoordinate(x, sourceWidth, width);
                int x0 = (int) Math.floor(sx);
                float fx = sx - x0;
                int left = clamp(x0, sourceWidth);
                int right = clamp(x0 + 1, sourceWidth);
                float upper = lerp(source[top * sourceWidth + left], source[top * sourceWidth + right], fx);
                float lower = lerp(source[bottom * sourceWidth + left], source[bottom * sourceWidth + right], fx);
                target[targetOffset + y * width + x] = lerp(upper, lower, fy);
            }
        }
    }

    private static float sourceCoordinate(int target, int sourceSize, int targetSize) {
        return (target + 0.5f) * sourceSize / targetSize - 0.5f;
    }

    private static int clamp(int index, int size) {
        return Math.max(0, Math.min(size - 1, index));
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }
}
