package health.treatment.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The API/internal boundary of treatment-core (what a module-info would export, enforced without JPMS). */
@AnalyzeClasses(packages = "health.treatment.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String INTERNAL = "health.treatment.core.internal..";

    @ArchTest
    static final ArchRule publicApiMethodsDoNotExposeInternalTypes = methods()
            .that()
            .areDeclaredInClassesThat()
            .resideInAPackage("health.treatment.core")
            .and()
            .arePublic()
            .should()
            .haveRawReturnType(notInternal())
            .andShould()
            .haveRawParameterTypes(com.tngtech.archunit.base.DescribedPredicate.not(
                    com.tngtech.archunit.base.DescribedPredicate.anyElementThat(
                            JavaClass.Predicates.resideInAPackage(INTERNAL))));

    @ArchTest
    static final ArchRule publicApiHasNoNonPrivateInternalFields =
            com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields()
                    .that()
                    .areDeclaredInClassesThat()
                    .resideInAPackage("health.treatment.core")
                    .and()
                    .doNotHaveModifier(JavaModifier.PRIVATE)
                    .should()
                    .haveRawType(notInternal());

    @ArchTest
    static final ArchRule internalIsUsedOnlyByThisModule = classes()
            .that()
            .resideInAPackage(INTERNAL)
            .should()
            .onlyBeAccessed()
            .byAnyPackage("health.treatment.core..");

    @ArchTest
    static final ArchRule internalDoesNotDependOnTheCli = noClasses()
            .that()
            .resideInAPackage("health.treatment.core")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("health.treatment.core.internal.cli..");

    @ArchTest
    static final ArchRule apiExceptionsExtendTheModuleRoot = classes()
            .that()
            .resideInAPackage("health.treatment.core")
            .and()
            .areAssignableTo(Throwable.class)
            .should()
            .beAssignableTo(TreatmentCoreException.class);

    @ArchTest
    static final ArchRule apiDoesNotLeakJustify = methods()
            .that()
            .areDeclaredInClassesThat()
            .resideInAPackage("health.treatment.core")
            .and()
            .arePublic()
            .should()
            .haveRawReturnType(com.tngtech.archunit.base.DescribedPredicate.not(
                    JavaClass.Predicates.resideInAPackage("org.leadpony..")));

    @ArchTest
    static final ArchRule fhirApiMethodsDoNotExposeInternalTypes = methods()
            .that()
            .areDeclaredInClassesThat()
            .resideInAPackage("health.treatment.core.fhir")
            .and()
            .arePublic()
            .should()
            .haveRawReturnType(notInternal())
            .andShould()
            .haveRawParameterTypes(com.tngtech.archunit.base.DescribedPredicate.not(
                    com.tngtech.archunit.base.DescribedPredicate.anyElementThat(
                            JavaClass.Predicates.resideInAPackage(INTERNAL))));

    /** The FHIR mapping sits on top of the record: nothing below it depends on it (no package cycle). */
    @ArchTest
    static final ArchRule onlyTheFhirPackageKnowsFhir = noClasses()
            .that()
            .resideInAnyPackage("health.treatment.core", INTERNAL)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("health.treatment.core.fhir..");

    /** The FHIR mapping is JSON-P only: HAPI FHIR is a test dependency (the validator), never a runtime one. */
    @ArchTest
    static final ArchRule noFhirLibraryAtRunTime = noClasses()
            .that()
            .resideInAPackage("health.treatment.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("ca.uhn..", "org.hl7..");

    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> notInternal() {
        return com.tngtech.archunit.base.DescribedPredicate.not(JavaClass.Predicates.resideInAPackage(INTERNAL));
    }
}
