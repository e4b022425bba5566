package dev.tern.library;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Element;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What `mvn install` puts into the local repository for an application to depend on. */
class InstalledArtifactsTest {
    private static InstalledTern tern;

    @BeforeAll
    static void requireThisBuildsArtifacts() {
        tern = InstalledTern.ofThisBuild();
        tern.requireInstalledByThisBuild();
    }

    @ParameterizedTest
    @EnumSource(TernModule.class)
    void everyJarNamesItsModuleAndVersion(TernModule module) throws IOException {
        try (JarFile jar = new JarFile(tern.jar(module).toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertEquals(module.moduleName(), manifest.getValue("Automatic-Module-Name"));
            assertEquals(tern.version(), manifest.getValue(Attributes.Name.IMPLEMENTATION_VERSION));
            assertTrue(manifest.getValue(Attributes.Name.IMPLEMENTATION_TITLE).startsWith("Tern "),
                    () -> "Implementation-Title " + manifest.getValue(Attributes.Name.IMPLEMENTATION_TITLE));
        }
        assertEquals(tern.version(), module.apiClass().getPackage().getImplementationVersion(),
                "the version code reads at run time, from the jar on the class path");
    }

    @ParameterizedTest
    @EnumSource(TernModule.class)
    void everyModuleComesWithSourcesAndApiJavadoc(TernModule module) throws IOException {
        try (JarFile sources = new JarFile(tern.artifact(module.artifactId(), "sources", "jar").toFile())) {
            assertNotNull(sources.getEntry(module.apiClassEntry() + ".java"), module.apiClassEntry() + ".java");
        }
        try (JarFile javadoc = new JarFile(tern.artifact(module.artifactId(), "javadoc", "jar").toFile())) {
            assertNotNull(javadoc.getEntry(module.apiClassEntry() + ".html"), module.apiClassEntry() + ".html");
            assertFalse(javadoc.stream().anyMatch(entry -> entry.getName().contains("/internal/")),
                    "the Javadoc documents the API, not the internals");
        }
    }

    @Test
    void theBomPinsTernsOwnModulesAndNothingElse() throws IOException {
        Element bom = Xml.root(tern.pom(InstalledTern.BOM));

        assertTrue(Xml.child(bom, "parent").isEmpty(),
                "a parent's dependencyManagement would be imported with the BOM");
        assertEquals(tern.version(), Xml.text(bom, "version"));
        Map<String, String> managed = Xml.children(
                        Xml.child(Xml.child(bom, "dependencyManagement").orElseThrow(), "dependencies").orElseThrow(),
                        "dependency").stream()
                .collect(Collectors.toMap(
                        dependency -> Xml.text(dependency, "groupId") + ":" + Xml.text(dependency, "artifactId"),
                        dependency -> Xml.text(dependency, "version")));
        Set<String> modules = Arrays.stream(TernModule.values())
                .map(module -> InstalledTern.GROUP_ID + ":" + module.artifactId())
                .collect(Collectors.toSet());
        assertEquals(modules, managed.keySet());
        managed.values().forEach(version -> assertEquals("${project.version}", version));
    }

    @Test
    void theBomBuildsWithTheParentsPluginVersions() throws IOException {
        Element plugins = Xml.child(Xml.child(Xml.child(Xml.root(tern.pom(InstalledTern.BOM)), "build")
                .orElseThrow(), "pluginManagement").orElseThrow(), "plugins").orElseThrow();
        Map<String, String> pinned = Xml.children(plugins, "plugin").stream()
                .collect(Collectors.toMap(plugin -> Xml.text(plugin, "artifactId"), plugin -> Xml.text(plugin, "version")));

        assertEquals(Map.of("maven-clean-plugin", BuildProperty.of("clean.plugin.version"),
                "maven-install-plugin", BuildProperty.of("install.plugin.version")), pinned);
    }
}
