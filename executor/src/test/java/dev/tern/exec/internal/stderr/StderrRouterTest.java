package dev.tern.exec.internal.stderr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Lines in ONNX Runtime's log format (as 1.29 writes them) become records; every other byte passes unchanged. */
class StderrRouterTest {
    private static final String WARNING = "\u001B[0;93m2026-12-07 04:18:31.366033758 [W:onnxruntime:, graph.cc:5583"
            + " CleanUnusedInitializersAndNodeArgs] Removing initializer 'unused'.\u001B[m\n";
    private static final String INFO = "2026-12-07 04:18:31.341761299 [I:onnxruntime:ort-java,"
            + " device_discovery_common.cc:34 operator()] Discovered OrtHardwareDevice {vendor_id:0x1022}\n";

    private final ByteArrayOutputStream passedThrough = new ByteArrayOutputStream();
    private final List<OrtLogRecord> records = new ArrayList<>();
    private final StderrRouter router = new StderrRouter(passedThrough, records::add);

    @Test
    void onnxRuntimeEntriesBecomeRecordsWithoutEscapeCodes() throws IOException {
        feed(WARNING + INFO + "\u001B[1;31m2026-12-07 04:18:31.1 [E:onnxruntime:s, f.cc:1 F] bad\u001B[m\n"
                + "\u001B[1;37;41m2026-12-07 04:18:31.1 [F:onnxruntime:, f.cc:2 G] worse\u001B[m\n"
                + "2026-12-07 04:18:31.1 [V:onnxruntime:, f.cc:3 H] chatter\n");

        assertEquals(List.of(
                new OrtLogRecord(Level.WARN, "Removing initializer 'unused'. (graph.cc:5583"
                        + " CleanUnusedInitializersAndNodeArgs)"),
                new OrtLogRecord(Level.DEBUG, "Discovered OrtHardwareDevice {vendor_id:0x1022}"
                        + " (device_discovery_common.cc:34 operator(), logger ort-java)"),
                new OrtLogRecord(Level.ERROR, "bad (f.cc:1 F, logger s)"),
                new OrtLogRecord(Level.ERROR, "worse (f.cc:2 G)"),
                new OrtLogRecord(Level.TRACE, "chatter (f.cc:3 H)")), records);
        assertEquals(0, passedThrough.size());
    }

    @Test
    void otherOutputPassesByteForByteBetweenEntries() throws IOException {
        byte[] notUtf8 = {'x', (byte) 0xFF, (byte) 0xC3, '\n'};
        String lookalike = "2026-12-07 not a log entry [W:onnxruntime:, x] y\n\u001B[0;93mcoloured by someone else\u001B[m\n";
        router.accept(notUtf8, notUtf8.length);
        feed(WARNING + lookalike);
        router.finish();

        byte[] expected = new byte[notUtf8.length + lookalike.getBytes(StandardCharsets.UTF_8).length];
        System.arraycopy(notUtf8, 0, expected, 0, notUtf8.length);
        byte[] lookalikeBytes = lookalike.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(lookalikeBytes, 0, expected, notUtf8.length, lookalikeBytes.length);
        assertArrayEquals(expected, passedThrough.toByteArray());
        assertEquals(1, records.size());
    }

    @Test
    void linesSplitAcrossReadsAreJoined() throws IOException {
        for (byte b : (WARNING + "plain\n").getBytes(StandardCharsets.UTF_8)) {
            router.accept(new byte[] {b}, 1);
        }

        assertEquals(Level.WARN, records.get(0).level());
        assertEquals("plain\n", passedThrough.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aColouredEntryRunsToItsReset() throws IOException {
        feed("\u001B[0;93m2026-12-07 04:18:31.1 [W:onnxruntime:, f.cc:1 F] first\nsecond\nthird\u001B[m\nafter\n");

        assertEquals(List.of(new OrtLogRecord(Level.WARN, "first\nsecond\nthird (f.cc:1 F)")), records);
        assertEquals("after\n", passedThrough.toString(StandardCharsets.UTF_8));
    }

    @Test
    void finishingSendsALastLineWithoutItsLineFeedAsItIs() throws IOException {
        feed("last words");
        assertEquals(0, passedThrough.size());

        router.finish();
        assertEquals("last words", passedThrough.toString(StandardCharsets.UTF_8));
    }

    @Test
    void finishingLogsAnEntryWhoseResetNeverCame() throws IOException {
        feed("\u001B[0;93m2026-12-07 04:18:31.1 [W:onnxruntime:, f.cc:1 F] cut short\n");
        router.finish();

        assertEquals(List.of(new OrtLogRecord(Level.WARN, "cut short (f.cc:1 F)")), records);
    }

    @Test
    void aLineLongerThanAnyEntryPassesAsItIs() throws IOException {
        byte[] digits = new byte[(1 << 20) + 10];
        Arrays.fill(digits, (byte) '7');
        router.accept(digits, digits.length);
        feed("\n");

        assertEquals(digits.length + 1, passedThrough.size());
        assertEquals('\n', passedThrough.toByteArray()[digits.length]);
        assertEquals(0, records.size());
    }

    private void feed(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        router.accept(bytes, bytes.length);
    }
}
