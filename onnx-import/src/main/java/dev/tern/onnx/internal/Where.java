package dev.tern.onnx.internal;

import dev.tern.onnx.ModelFormatException;

/**
 * Where in a model a decoder or encoder is working, for error messages: the source (file,
 * {@code <bytes>} or {@code <stream>}) followed by the path down to the field, such as
 * {@code model.onnx: graph 'main' node 'n3' (Loop) attribute 'body'}. Immutable.
 */
public final class Where {
    private final String source;
    private final String path;

    private Where(String source, String path) {
        this.source = source;
        this.path = path;
    }

    /** The top of a model read from or written to {@code source}. */
    public static Where in(String source) {
        return new Where(source, "");
    }

    /** This place followed by one more step, such as {@code "initializer 'W'"}. */
    public Where then(String step) {
        return new Where(source, path.isEmpty() ? step : path + " " + step);
    }

    public Where graph(String name) {
        return then("graph '" + name + "'");
    }

    public Where tensor(String role, String name) {
        return then(role + " '" + name + "'");
    }

    /** A node, by name when it has one and by position otherwise. */
    public Where node(int index, String name, String domain, String opType) {
        String op = domain.isEmpty() ? opType : domain + "::" + opType;
        String id = name.isEmpty() ? "#" + index : "'" + name + "'";
        return then("node " + id + " (" + op + ")");
    }

    public Where attribute(String name) {
        return then("attribute '" + name + "'");
    }

    public String source() {
        return source;
    }

    /** An exception saying {@code problem} happened here. */
    public ModelFormatException fail(String problem) {
        return new ModelFormatException(this + ": " + problem);
    }

    /** An exception saying {@code problem} happened here, caused by {@code cause}. */
    public ModelFormatException fail(String problem, Throwable cause) {
        return new ModelFormatException(this + ": " + problem, cause);
    }

    @Override
    public String toString() {
        return path.isEmpty() ? source : source + ": " + path;
    }
}
