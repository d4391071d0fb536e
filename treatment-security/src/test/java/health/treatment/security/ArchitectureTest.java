package health.treatment.security;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API/SPI/internal boundary of DESIGN.md section 6, enforced on the main classes. */
class ArchitectureTest {
    private static final String ROOT = "health.treatment.security";
    private static final String INTERNAL = "health.treatment.security.internal..";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void apiAndSpiDoNotExposeInternalTypesInPublicSignatures() {
        members()
                .that()
                .areDeclaredInClassesThat()
                .resideOutsideOfPackage(INTERNAL)
                .and()
                .arePublic()
                .should(notMentionInternalTypes())
                .check(classes);
    }

    @Test
    void apiAndSpiTypesDoNotExtendOrImplementInternalTypes() {
        classes()
                .that()
                .resideOutsideOfPackage(INTERNAL)
                .should()
                .notBeAssignableTo(DescribedPredicate.describe(
                        "an internal type", (JavaClass c) -> c.getPackageName().startsWith(ROOT + ".internal")))
                .check(classes);
    }

    @Test
    void spiDoesNotDependOnTheFacade() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".spi..")
                .should()
                .dependOnClassesThat()
                .haveSimpleName("PhiProtection")
                .check(classes);
    }

    /** The SPI is what a deployment implements: interfaces and their value types; implementations live elsewhere. */
    @Test
    void spiHoldsInterfacesAndValueTypesOnly() {
        classes()
                .that()
                .resideInAPackage(ROOT + ".spi..")
                .and()
                .areNotInterfaces()
                .and()
                .areNotRecords()
                .and()
                .doNotHaveSimpleName("package-info")
                .should()
                .beInterfaces()
                .allowEmptyShould(true)
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".spi..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(INTERNAL, ROOT + ".keys..", ROOT + ".logging..")
                .check(classes);
    }

    @Test
    void internalIsOnlyUsedByThisModule() {
        classes()
                .that()
                .resideInAPackage(INTERNAL)
                .should()
                .onlyHaveDependentClassesThat()
                .resideInAPackage(ROOT + "..")
                .check(classes);
    }

    @Test
    void noAppServerOrFrameworkTypes() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "jakarta..", "javax.servlet..", "javax.ws..", "org.eclipse.microprofile..", "javax.inject..")
                .check(classes);
    }

    @Test
    void onlyTheLoggingPackageNeedsLog4jCore() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".logging..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.logging.log4j.core..")
                .check(classes);
    }

    @Test
    void onlyInternalAndTheFacadeUseTinkDirectly() {
        noClasses()
                .that()
                .resideOutsideOfPackage(INTERNAL)
                .and()
                .doNotHaveSimpleName("PhiProtection")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.google.crypto.tink..")
                .check(classes);
    }

    @Test
    void exceptionsShareOneRoot() {
        classes()
                .that()
                .resideInAPackage(ROOT + "..")
                .and()
                .areAssignableTo(RuntimeException.class)
                .should()
                .beAssignableTo(TreatmentSecurityException.class)
                .check(classes);
    }

    private static ArchCondition<JavaMember> notMentionInternalTypes() {
        return new ArchCondition<>("not mention internal types in their signature") {
            @Override
            public void check(JavaMember member, ConditionEvents events) {
                if (!member.getOwner().getModifiers().contains(JavaModifier.PUBLIC)) {
                    return;
                }
                List<JavaClass> types = new ArrayList<>();
                if (member instanceof JavaField field) {
                    types.add(field.getRawType());
                } else if (member instanceof JavaCodeUnit codeUnit) {
                    types.add(codeUnit.getRawReturnType());
                    types.addAll(codeUnit.getRawParameterTypes());
                    types.addAll(codeUnit.getExceptionTypes());
                }
                for (JavaClass type : types) {
                    JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
                    if (base.getPackageName().startsWith(ROOT + ".internal")) {
                        events.add(SimpleConditionEvent.violated(
                                member, member.getFullName() + " exposes internal type " + base.getName()));
                    }
                }
            }
        };
    }
}
