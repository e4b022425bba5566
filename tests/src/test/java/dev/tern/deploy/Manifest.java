package dev.tern.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One Kubernetes object of a YAML file in {@code deploy/}. */
record Manifest(Path file, JsonNode object) {
    static final Path DEPLOY = Path.of(System.getProperty("tern.root")).resolve("deploy");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Every object of every YAML file under {@code deploy/}, in file order. */
    static List<Manifest> all() throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (var objects = YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class)) {
                    while (objects.hasNext()) {
                        manifests.add(new Manifest(file, objects.next()));
                    }
                }
            }
        }
        return manifests;
    }

    /** The only object of {@code kind}. */
    static Manifest only(String kind) throws IOException {
        List<Manifest> found = all().stream().filter(m -> m.kind().equals(kind)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " under " + DEPLOY + ", found " + found.size());
        }
        return found.get(0);
    }

    String kind() {
        return object.path("kind").asText();
    }

    /** The node at {@code path}, a slash-separated list of field names and array indexes. */
    JsonNode at(String path) {
        JsonNode node = object;
        for (String step : path.split("/")) {
            node = step.chars().allMatch(Character::isDigit) ? node.path(Integer.parseInt(step)) : node.path(step);
        }
        if (node instanceof MissingNode) {
            throw new AssertionError(file + ": " + kind() + " has no " + path);
        }
        return node;
    }

    List<String> strings(String path) {
        List<String> values = new ArrayList<>();
        at(path).forEach(node -> values.add(node.asText()));
        return values;
    }

    @Override
    public String toString() {
        return DEPLOY.relativize(file) + " " + kind();
    }
}
