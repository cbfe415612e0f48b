package io.tributary.broker.group.assignor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Assignors are pure functions (the {@link PartitionAssignor} contract): the package may not reach gRPC,
 * files, threads, clocks or randomness, so the coordinator can run them on its shard thread and replay
 * gives the same answer.
 */
@Tag("unit")
class AssignorPurityTest {

    @Test
    void testTheAssignorPackageDoesNoIoKeepsNoTimeAndDrawsNoRandomness() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tributary.broker.group.assignor");
        noClasses().that().resideInAPackage("io.tributary.broker.group.assignor..")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "java.io..", "java.nio..",
                        "java.util.concurrent..", "java.time..", "java.util.random..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .check(classes);
    }
}
