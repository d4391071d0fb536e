package health.treatment.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Boundaries between the modules, checked where they can fail: the WAR's test classpath holds every module's classes
 * (each module's own ArchitectureTest sees only itself, so "internal is used only inside its module" cannot fail
 * there).
 */
class ModuleBoundariesTest {
    private static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // The audit module's test helpers come as a test jar; they are not part of any boundary.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("health.treatment");

    private static String root(String module) {
        return module.equals("web") ? "health.treatment.web" : "health.treatment." + module;
    }

    /** An internal package is used only by its own module. */
    @ParameterizedTest
    @ValueSource(strings = {"core", "security", "audit", "store"})
    void internalIsUsedOnlyInsideItsModule(String module) {
        classes()
                .that()
                .resideInAPackage(root(module) + ".internal..")
                .should()
                .onlyHaveDependentClassesThat()
                .resideInAPackage(root(module) + "..")
                .check(ALL);
    }

    /**
     * The sub-packages of a library module depend on each other without cycles. (The WAR's own packages are not in
     * the list yet: audit, filter, metrics and problem still depend on each other through the route table, the rate
     * limits and the request labels.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"core", "security", "audit", "store"})
    void packagesOfAModuleAreFreeOfCycles(String module) {
        slices().matching(root(module) + ".(*)..").should().beFreeOfCycles().check(ALL);
    }

    /**
     * A public type may delegate to its module's internal package, but that internal class must not call back into
     * the type that called it: such a pair is one class split in two.
     */
    @ParameterizedTest
    @ValueSource(strings = {"core", "security", "audit", "store"})
    void noPublicTypeAndInternalClassDependOnEachOther(String module) {
        classes()
                .that()
                .resideInAPackage(root(module) + "..")
                .and()
                .resideOutsideOfPackage(root(module) + ".internal..")
                .should(notFormALoopWithInternal(root(module) + ".internal"))
                .allowEmptyShould(true)
                .check(ALL);
    }

    private static ArchCondition<JavaClass> notFormALoopWithInternal(String internal) {
        return new ArchCondition<>("not depend on an internal class that depends back on it") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                for (Dependency out : type.getDirectDependenciesFromSelf()) {
                    JavaClass target = out.getTargetClass().getBaseComponentType();
                    if (!target.getPackageName().startsWith(internal)) {
                        continue;
                    }
                    for (Dependency back : target.getDirectDependenciesFromSelf()) {
                        JavaClass returned = back.getTargetClass().getBaseComponentType();
                        if (outermost(returned).equals(outermost(type))) {
                            events.add(SimpleConditionEvent.violated(
                                    type, type.getName() + " and " + target.getName() + " depend on each other"));
                            return;
                        }
                    }
                }
            }
        };
    }

    private static JavaClass outermost(JavaClass c) {
        JavaClass o = c;
        while (o.getEnclosingClass().isPresent()) {
            o = o.getEnclosingClass().get();
        }
        return o;
    }
}
