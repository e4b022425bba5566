package dev.tern.exec.internal.stderr;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.event.Level;

/**
 * One entry of ONNX Runtime's own log, as its default sink ({@code ostream_sink.cc}) writes it:
 * <pre>
 * [colour]2026-12-07 04:18:31.366033758 [W:onnxruntime:logid, graph.cc:5583 Function] message[reset]
 * </pre>
 * The colour code comes before warnings ({@code ESC[0;93m}), errors ({@code ESC[1;31m}) and fatal
 * errors ({@code ESC[1;37;41m}), the reset ({@code ESC[m}) after them; verbose and info lines have
 * none. The logger id is often empty.
 *
 * @param level the SLF4J level the severity maps to: one step down for the two chattiest, as
 *     {@link dev.tern.exec.internal.OrtLogLevel} maps back (V: TRACE, I: DEBUG), then W: WARN,
 *     E and F: ERROR
 * @param message what ONNX Runtime said, followed by where (source file, line, function) and
 *     its logger id if any, with every escape code removed
 */
record OrtLogRecord(Level level, String message) {
    /** ANSI escape sequences: CSI ones such as colours ({@code ESC [ ... letter}), and stray escapes. */
    private static final Pattern ESCAPE_CODES = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]|\u001B");
    private static final Pattern ENTRY = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d+ \\[([VIWEF]):([^:,\\]]*):([^,\\]]*), ([^\\]]*)\\] (.*)",
            Pattern.DOTALL);
    /** How ONNX Runtime ends a coloured entry. */
    static final String COLOUR_RESET = "\u001B[m";

    /**
     * The entry {@code text} holds, if it is one of ONNX Runtime's log entries; {@code text}
     * is a whole entry without its last line feed, which may span several lines.
     */
    static Optional<OrtLogRecord> parse(String text) {
        Matcher entry = ENTRY.matcher(withoutEscapeCodes(text));
        if (!entry.matches()) {
            return Optional.empty();
        }
        String logId = entry.group(3);
        String where = entry.group(4) + (logId.isEmpty() ? "" : ", logger " + logId);
        return Optional.of(new OrtLogRecord(level(entry.group(1).charAt(0)), entry.group(5) + " (" + where + ")"));
    }

    /**
     * Whether {@code line} starts an entry ONNX Runtime has coloured and not yet ended with the
     * reset: the rest of its message follows on the next lines.
     */
    static boolean opensColouredEntry(String line) {
        return line.startsWith("\u001B[") && !line.contains(COLOUR_RESET) && parse(line).isPresent();
    }

    static String withoutEscapeCodes(String text) {
        return ESCAPE_CODES.matcher(text).replaceAll("");
    }

    private static Level level(char severity) {
        return switch (severity) {
            case 'V' -> Level.TRACE;
            case 'I' -> Level.DEBUG;
            case 'W' -> Level.WARN;
            default -> Level.ERROR;
        };
    }
}
