package dev.tern.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN.md's boundaries, checked on the compiled main classes of every module on this
 * module's class path: no module reaches into another's {@code .internal} packages, and only
 * executor touches ONNX Runtime's Java API.
 */
class ModuleBoundariesTest {
    /**
     * The JMH benchmarks that time raw ONNX Runtime beside Tern, the one sanctioned use of
     * {@code ai.onnxruntime} outside executor: comparing against ORT called directly is their point.
     */
    private static final Set<String> RAW_ORT_BENCHMARKS = Set.of(
            "dev.tern.bench.InferenceBenchmark",
            "dev.tern.bench.SessionCreationBenchmark",
            "dev.tern.bench.SessionMemory");

    /** Modules not built yet; their rules hold vacuously until their classes appear. */
    private static final Set<ModulePackages> NOT_YET_BUILT = EnumSet.of(ModulePackages.SPARK);

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tern");
    }

    @ParameterizedTest
    @EnumSource(ModulePackages.class)
    void noModuleImportsAnotherModulesInternals(ModulePackages module) {
        noClasses().that().resideInAnyPackage(module.everyPackage())
                .should().dependOnClassesThat().resideInAnyPackage(module.otherModulesInternals())
                .because(module.module() + " may use other modules' public API only (DESIGN.md, Boundaries)")
                .allowEmptyShould(NOT_YET_BUILT.contains(module))
                .check(mainClasses);
    }

    @Test
    void onlyExecutorTouchesOnnxRuntime() {
        noClasses().that().resideOutsideOfPackage("dev.tern.exec..")
                .and(DescribedPredicate.not(rawOrtBenchmark()))
                .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
                .because("only executor touches ai.onnxruntime (DESIGN.md, Boundaries)")
                .check(mainClasses);
    }

    /** Guards the rules above against holding vacuously because the class path lost a module. */
    @Test
    void everyBuiltModuleIsOnTheClassPath() {
        for (ModulePackages module : EnumSet.complementOf(EnumSet.copyOf(NOT_YET_BUILT))) {
            assertTrue(mainClasses.stream().anyMatch(javaClass -> module.owns(javaClass.getPackageName())),
                    "no main class of " + module.module() + " found under " + String.join(", ", module.everyPackage()));
        }
    }

    private static DescribedPredicate<JavaClass> rawOrtBenchmark() {
        return DescribedPredicate.describe("a benchmark timing raw ONNX Runtime " + RAW_ORT_BENCHMARKS,
                javaClass -> RAW_ORT_BENCHMARKS.contains(javaClass.getName())
                        || RAW_ORT_BENCHMARKS.stream().anyMatch(name -> javaClass.getName().startsWith(name + "$")));
    }
}
