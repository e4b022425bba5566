package dev.tern.exec;

/**
 * The execution provider a {@link SessionConfig} asked for cannot be used here, and the
 * configuration does not allow falling back to the CPU. The message says what is missing:
 * the provider in the ONNX Runtime build on the class path, or its libraries or device.
 */
public class ProviderUnavailableException extends ExecException {
    private static final long serialVersionUID = 1L;

    public ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
