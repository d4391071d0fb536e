package health.treatment.audit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Module boundary: API in the root package, SPI in .spi, the rest in .internal (and the JPA store in .jpa). */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("health.treatment.audit");

    private static final ArchCondition<JavaClass> NOT_EXPOSE_INTERNAL_TYPES =
            new ArchCondition<>("not expose internal types in public or protected signatures") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    for (JavaMember m : c.getMembers()) {
                        if (!m.getModifiers().contains(JavaModifier.PUBLIC)
                                && !m.getModifiers().contains(JavaModifier.PROTECTED)) {
                            continue;
                        }
                        Set<JavaClass> types = new java.util.HashSet<>();
                        if (m instanceof com.tngtech.archunit.core.domain.JavaField f) {
                            types.addAll(f.getType().getAllInvolvedRawTypes());
                        } else if (m instanceof com.tngtech.archunit.core.domain.JavaCodeUnit u) {
                            types.addAll(u.getReturnType().getAllInvolvedRawTypes());
                            u.getParameterTypes().forEach(t -> types.addAll(t.getAllInvolvedRawTypes()));
                        }
                        for (JavaClass t : types) {
                            if (t.getPackageName().contains(".internal")) {
                                events.add(
                                        SimpleConditionEvent.violated(m, m.getFullName() + " exposes " + t.getName()));
                            }
                        }
                    }
                }
            };

    @Test
    void apiAndSpiDoNotExposeInternalTypes() {
        classes()
                .that()
                .resideInAnyPackage(
                        "health.treatment.audit",
                        "health.treatment.audit.spi",
                        "health.treatment.audit.jpa",
                        "health.treatment.audit.jdbc")
                .and()
                .arePublic()
                .should(NOT_EXPOSE_INTERNAL_TYPES)
                .check(MAIN);
    }

    @Test
    void internalIsOnlyUsedFromInsideTheModule() {
        classes()
                .that()
                .resideInAPackage("health.treatment.audit.internal..")
                .should()
                .onlyBeAccessed()
                .byClassesThat()
                .resideInAnyPackage(
                        "health.treatment.audit",
                        "health.treatment.audit.jpa",
                        "health.treatment.audit.jdbc",
                        "health.treatment.audit.internal..")
                .check(MAIN);
    }

    @Test
    void spiDependsOnlyOnTheApiAndTheJdk() {
        noClasses()
                .that()
                .resideInAPackage("health.treatment.audit.spi")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "health.treatment.audit.internal..",
                        "health.treatment.audit.jpa..",
                        "health.treatment.audit.jdbc..",
                        "jakarta.persistence..")
                .check(MAIN);
    }

    @Test
    void onlyTheJpaStoreTouchesJakartaPersistence() {
        noClasses()
                .that()
                .resideOutsideOfPackage("health.treatment.audit.jpa")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("jakarta.persistence..")
                .check(MAIN);
    }

    /** The offline verifier's jar (the "cli" classifier) holds this module and JSON-P only. */
    @Test
    void theVerifyPathNeedsOnlyTheJdkAndJsonP() {
        noClasses()
                .that()
                .resideInAPackage("health.treatment.audit.internal..")
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("org.apache.logging..", "jakarta..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("jakarta.json..")))
                .check(MAIN);
    }

    @Test
    void theModuleStaysIndependentOfCoreSecurityAndTheWar() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("health.treatment.core..", "health.treatment.security..", "health.treatment.web..")
                .check(MAIN);
    }
}
