package dev.tern.exec.internal.stderr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Splits what the process writes to standard error into lines and sends each on: ONNX Runtime's
 * log entries, as {@link OrtLogRecord}s, to {@code entries}; every other byte, unchanged, to
 * {@code passThrough}. Not thread-safe: one reader feeds it.
 *
 * <p>A coloured entry whose message spans lines runs until ONNX Runtime's colour reset; an
 * uncoloured one (verbose, info) cannot be told apart from other output after its first line, so
 * its further lines pass through. Lines are held until complete, up to {@value #MAX_LINE_BYTES}
 * bytes: output that long without a line feed is not a log entry and goes on as it is.
 */
final class StderrRouter {
    private static final int MAX_LINE_BYTES = 1 << 20;
    /** Lines a coloured entry may take before its reset; beyond, its reset is taken to be lost. */
    private static final int MAX_ENTRY_LINES = 1000;

    private final OutputStream passThrough;
    private final Consumer<OrtLogRecord> entries;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    /** True from the moment the current line outgrew {@link #MAX_LINE_BYTES} until its line feed. */
    private boolean passingLongLine;
    /** The raw lines of a coloured entry still waiting for its reset, or null. */
    private ByteArrayOutputStream openEntry;
    private int openEntryLines;

    StderrRouter(OutputStream passThrough, Consumer<OrtLogRecord> entries) {
        this.passThrough = passThrough;
        this.entries = entries;
    }

    /** Takes the next {@code length} bytes written to standard error. */
    void accept(byte[] bytes, int length) throws IOException {
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                appendToLine(bytes, start, i + 1 - start);
                endLine(true);
                start = i + 1;
            }
        }
        appendToLine(bytes, start, length - start);
    }

    /** Sends on what is held: a last line without its line feed, an entry whose reset never came. */
    void finish() throws IOException {
        if (line.size() > 0) {
            endLine(false);
        }
        if (openEntry != null) {
            closeEntry();
        }
        passThrough.flush();
    }

    private void appendToLine(byte[] bytes, int offset, int length) throws IOException {
        if (passingLongLine) {
            passThrough.write(bytes, offset, length);
            return;
        }
        line.write(bytes, offset, length);
        if (line.size() > MAX_LINE_BYTES) {
            passThrough.write(line.toByteArray());
            line.reset();
            passingLongLine = true;
        }
    }

    /**
     * Sends on the line held, its line feed included if it has one. A line passed through goes
     * in one write, so that it stays whole beside lines others write to the real standard error.
     */
    private void endLine(boolean withLineFeed) throws IOException {
        if (passingLongLine) {
            passingLongLine = false;
            return;
        }
        byte[] raw = line.toByteArray();
        line.reset();
        String text = new String(raw, 0, raw.length - (withLineFeed ? 1 : 0), StandardCharsets.UTF_8);
        if (openEntry != null) {
            openEntry.write(raw);
            openEntryLines++;
            if (text.contains(OrtLogRecord.COLOUR_RESET) || openEntryLines >= MAX_ENTRY_LINES) {
                closeEntry();
            }
        } else if (OrtLogRecord.opensColouredEntry(text)) {
            openEntry = new ByteArrayOutputStream();
            openEntry.write(raw);
            openEntryLines = 1;
        } else {
            Optional<OrtLogRecord> entry = mayBeEntry(raw) ? OrtLogRecord.parse(text) : Optional.empty();
            if (entry.isPresent()) {
                entries.accept(entry.get());
            } else {
                passThrough.write(raw);
            }
        }
    }

    private void closeEntry() throws IOException {
        byte[] raw = openEntry.toByteArray();
        openEntry = null;
        String text = new String(raw, StandardCharsets.UTF_8);
        Optional<OrtLogRecord> entry = OrtLogRecord.parse(text.endsWith("\n") ? text.substring(0, text.length() - 1)
                : text);
        if (entry.isPresent()) {
            entries.accept(entry.get());
        } else {
            passThrough.write(raw);
        }
    }

    /** A cheap first look: entries start with their colour code or the timestamp's first digit. */
    private static boolean mayBeEntry(byte[] raw) {
        return raw.length > 0 && (raw[0] == 0x1B || (raw[0] >= '0' && raw[0] <= '9'));
    }
}
