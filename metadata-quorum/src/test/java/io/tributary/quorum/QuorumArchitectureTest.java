package io.tributary.quorum;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** DESIGN.md §4: the Raft core is a pure state machine — no threads, sockets, files or wall clock. */
@Tag("unit")
class QuorumArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tributary.quorum.raft");

    @Test
    void raftCoreDoesNoIo() {
        noClasses().that().resideInAPackage("io.tributary.quorum.raft")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "java.nio.file..", "java.io..",
                        "java.net..", "java.util.concurrent..")
                .check(CORE);
    }

    @Test
    void raftCoreUsesNoThreadsOrWallClock() {
        noClasses().that().resideInAPackage("io.tributary.quorum.raft")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .check(CORE);
    }
}
