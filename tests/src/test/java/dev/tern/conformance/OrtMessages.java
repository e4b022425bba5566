package dev.tern.conformance;

import ai.onnxruntime.OrtException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ONNX Runtime's error messages cut down to what identifies the problem, the same on every
 * machine: no model path, no C++ source location or signature, no error-code prefix.
 */
final class OrtMessages {
    /** The Java API's prefix: "Error code - ORT_FAIL - message: ". */
    private static final Pattern CODE_PREFIX = Pattern.compile("^Error code - \\w+ - message: ");
    private static final Pattern LOAD_PREFIX = Pattern.compile("^Load model from .* failed:");
    private static final Pattern NO_KERNEL = Pattern.compile(
            "Could not find an implementation for ([\\w.]+)\\((\\d+)\\) node with name '.*'");
    /** ORT_ENFORCE's form: "file.h:56 signature condition was false. explanation". */
    private static final Pattern ENFORCE = Pattern.compile(".* was false\\. (.*)");
    private static final Pattern SOURCE_LOCATION = Pattern.compile("\\S*/onnxruntime/\\S+:\\d+ ");

    private OrtMessages() {
    }

    /** The first line of {@code e}'s message, with the machine-specific parts removed. */
    static String essential(OrtException e) {
        String line = firstLine(e.getMessage());
        line = CODE_PREFIX.matcher(line).replaceFirst("");
        line = LOAD_PREFIX.matcher(line).replaceFirst("");
        line = line.replaceFirst("^Fatal error: ", "").replaceFirst("^Exception during initialization: ", "");
        Matcher noKernel = NO_KERNEL.matcher(line);
        if (noKernel.find()) {
            return "no CPU kernel for " + noKernel.group(1) + " (op version " + noKernel.group(2) + ")";
        }
        Matcher enforce = ENFORCE.matcher(line);
        if (enforce.matches()) {
            return enforce.group(1).strip();
        }
        return SOURCE_LOCATION.matcher(line).replaceAll("").strip();
    }

    /** The first line of {@code e}'s message with the model's path removed, for the printed report. */
    static String firstLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.replaceAll("/\\S*/model\\.onnx", "model.onnx");
    }
}
