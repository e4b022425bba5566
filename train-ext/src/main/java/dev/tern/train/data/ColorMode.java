package dev.tern.train.data;

/** How image pixels become feature channels. */
public enum ColorMode {
    /** One channel: the luma (0.299 R + 0.587 G + 0.114 B) of colour images, the grey level of grey ones. */
    GREYSCALE(1),
    /** Three channels, red, green, blue; grey images are repeated in all three. */
    RGB(3);

    private final int channels;

    ColorMode(int channels) {
        this.channels = channels;
    }

    /** The number of feature channels per pixel. */
    public int channels() {
        return channels;
    }
}
