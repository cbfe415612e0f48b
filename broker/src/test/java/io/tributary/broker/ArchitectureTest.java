package io.tributary.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of DESIGN.md §1 and STYLE.md §4 that Maven's dependency graph cannot express:
 * which packages may use gRPC, files, and other modules' internals. Runs over every server-side
 * module on this module's classpath (proto, common, storage, broker).
 */
@Tag("unit")
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tributary");
    }

    @Test
    void commonAndStorageDoNotUseGrpcOrTheBroker() {
        noClasses().that().resideInAnyPackage("io.tributary.common..", "io.tributary.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "io.tributary.broker..")
                .check(classes);
    }

    @Test
    void commonDoesNotDependOnStorage() {
        noClasses().that().resideInAPackage("io.tributary.common..")
                .should().dependOnClassesThat().resideInAPackage("io.tributary.storage..")
                .check(classes);
    }

    @Test
    void onlyTheGrpcAdaptersAndTheServerRootUseGrpc() {
        noClasses().that().resideInAPackage("io.tributary.broker..")
                .and().resideOutsideOfPackages("io.tributary.broker.grpc..", "io.tributary.broker.server..")
                .should().dependOnClassesThat().resideInAPackage("io.grpc..")
                .check(classes);
    }

    @Test
    void onlyTheMetricsPackageUsesMicrometer() {
        noClasses().that().resideInAPackage("io.tributary..")
                .and().resideOutsideOfPackages("io.tributary.broker.metrics..")
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .orShould().dependOnClassesThat().resideInAPackage("com.sun.net.httpserver..")
                .check(classes);
    }

    @Test
    void metadataAndControllerCoresDoNoFileOrThreadIo() {
        noClasses().that().resideInAnyPackage("io.tributary.quorum.image..")
                .or().haveFullyQualifiedName("io.tributary.quorum.controller.TopicControl")
                .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.nio.channels..", "io.grpc..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .check(classes);
    }

    @Test
    void storageInternalsStayInsideStorage() {
        noClasses().that().resideOutsideOfPackage("io.tributary.storage..")
                .should().dependOnClassesThat().resideInAPackage("io.tributary.storage.internal..")
                .check(classes);
    }
}
