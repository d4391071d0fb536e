package health.treatment.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Module boundary: API in the root package, everything else in .internal; plain JDBC, no application server. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("health.treatment.store");

    @Test
    void internalIsOnlyUsedFromInsideTheModule() {
        classes()
                .that()
                .resideInAPackage("health.treatment.store.internal..")
                .should()
                .onlyBeAccessed()
                .byClassesThat()
                .resideInAnyPackage("health.treatment.store", "health.treatment.store.internal..")
                .check(MAIN);
    }

    @Test
    void theStoreNeedsNoApplicationServer() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta..", "health.treatment.web..", "health.treatment.audit.jpa..")
                .check(MAIN);
    }

    @Test
    void theStoreUsesThePublicApiOfTheOtherJarsOnly() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "health.treatment.core.internal..",
                        "health.treatment.security.internal..",
                        "health.treatment.audit.internal..")
                .check(MAIN);
    }
}
