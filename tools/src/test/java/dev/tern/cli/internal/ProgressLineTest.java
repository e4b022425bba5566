package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private final StringWriter written = new StringWriter();
    private long now;

    @Test
    void updatesAtMostFourTimesASecondAndOverwritesLongerText() {
        ProgressLine line = new ProgressLine(new PrintWriter(written), true, () -> now);

        line.show("measuring 10 runs");
        now += ProgressLine.MIN_INTERVAL_NANOS - 1;
        line.show("too soon");
        now += 1;
        line.show("short");
        line.clear();

        assertEquals("\rmeasuring 10 runs" + "\rshort" + " ".repeat(12) + "\r" + " ".repeat(5) + "\r",
                written.toString());
    }

    @Test
    void disabledLinePrintsNothing() {
        ProgressLine line = new ProgressLine(new PrintWriter(written), false, () -> now);

        line.show("measuring");
        line.clear();

        assertEquals("", written.toString());
    }
}
