package dev.tern.train.report.internal;

import java.util.Locale;

/** Text and number formatting for hand-written SVG and XHTML. */
public final class Xml {
    private Xml() {
    }

    /** {@code text} with the five XML special characters escaped, safe in content and attributes. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A coordinate with two decimals and a dot, whatever the default locale. */
    public static String coordinate(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
