package dev.tern.architecture;

import java.util.Arrays;
import java.util.List;

/**
 * Which Java packages belong to which Maven module, as DESIGN.md's module table gives them.
 * A module's public API is its root packages; anything under a package named {@code internal}
 * belongs to that module alone.
 */
enum ModulePackages {
    GRAPH_IR("graph-ir", "dev.tern.ir"),
    ONNX_IMPORT("onnx-import", "dev.tern.onnx"),
    EXECUTOR("executor", "dev.tern.exec"),
    TRAIN_EXT("train-ext", "dev.tern.train"),
    SERVER("server", "dev.tern.server"),
    COMPRESS("compress", "dev.tern.compress"),
    SPARK("spark", "dev.tern.spark"),
    TOOLS("tools", "dev.tern.cli", "dev.tern.bench");

    private final String module;
    private final List<String> roots;

    ModulePackages(String module, String... roots) {
        this.module = module;
        this.roots = List.of(roots);
    }

    /** The Maven module's directory name, for messages. */
    String module() {
        return module;
    }

    /** ArchUnit patterns for every package of the module. */
    String[] everyPackage() {
        return roots.stream().map(root -> root + "..").toArray(String[]::new);
    }

    /** ArchUnit patterns for the module's internal packages, at any depth below its roots. */
    String[] internalPackages() {
        return roots.stream().map(root -> root + "..internal..").toArray(String[]::new);
    }

    /** Whether a class in {@code packageName} belongs to this module. */
    boolean owns(String packageName) {
        return roots.stream().anyMatch(root -> packageName.equals(root) || packageName.startsWith(root + "."));
    }

    /** The internal packages of every module but this one. */
    String[] otherModulesInternals() {
        return Arrays.stream(values()).filter(other -> other != this)
                .flatMap(other -> Arrays.stream(other.internalPackages())).toArray(String[]::new);
    }
}
