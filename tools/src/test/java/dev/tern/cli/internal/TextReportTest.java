package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextReportTest {
    @Test
    void bytesReadInBinaryUnits() {
        assertEquals("0 B", TextReport.humanBytes(0));
        assertEquals("1023 B", TextReport.humanBytes(1023));
        assertEquals("1.0 KiB", TextReport.humanBytes(1024));
        assertEquals("86.2 MiB", TextReport.humanBytes(90_387_606L));
        assertEquals("8.0 EiB", TextReport.humanBytes(Long.MAX_VALUE));
    }
}
