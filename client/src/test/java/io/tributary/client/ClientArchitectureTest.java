package io.tributary.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** DESIGN.md §1: the client depends on proto and common only, never on server modules. */
@Tag("unit")
class ClientArchitectureTest {

    private static final JavaClasses CLIENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tributary.client");

    @Test
    void clientUsesNoServerModule() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.tributary.storage..", "io.tributary.broker..", "io.tributary.metadata..")
                .check(CLIENT);
    }

    @Test
    void publicPackagesDoNotExposeGrpcStubs() {
        noClasses().that().resideInAnyPackage("io.tributary.client", "io.tributary.client.producer",
                        "io.tributary.client.consumer", "io.tributary.client.serialization")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..")
                .check(CLIENT);
    }
}
