package io.tributary.tools;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The tools module's layering (DESIGN.md §1) and output rules, checked on its main classes. */
@Tag("unit")
class ArchitectureTest {

    private static final String DUMP_LOG_CLASSES =
            "io\\.tributary\\.tools\\.DumpLog(Command|Formats|CheckpointFormats)(\\$.*)?";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tributary.tools");
    }

    @Test
    void onlyTheNodeCommandsUseTheBroker() {
        // server runs a node and storage formats one; every other command is a client of the cluster.
        noClasses().that().haveNameNotMatching("io\\.tributary\\.tools\\.(ServerCommand|StorageCommand(\\$.*)?)")
                .should().dependOnClassesThat().resideInAPackage("io.tributary.broker..")
                .check(classes);
    }

    @Test
    void toolsUseThePublicClientApiOnly() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.tributary.client..internal..", "io.grpc..")
                .check(classes);
    }

    @Test
    void onlyDumpLogReadsNodeFilesAndOnlyThroughTheInspectionApis() {
        // dump-log (its command and its two formatters) reads a node's files through the read-only
        // inspection APIs; the storage and quorum machinery stays off-limits to every command.
        noClasses().that().haveNameNotMatching(DUMP_LOG_CLASSES)
                .should().dependOnClassesThat()
                .resideInAnyPackage("io.tributary.storage.inspect..", "io.tributary.quorum.inspect..")
                .check(classes);
        noClasses().should().dependOnClassesThat(resideInAnyPackage("io.tributary.storage..", "io.tributary.quorum..")
                        .and(not(resideInAnyPackage("io.tributary.storage.inspect..", "io.tributary.quorum.inspect.."))))
                .check(classes);
    }

    @Test
    void outputGoesThroughPicocliWritersNotSystemOutOrErr() {
        noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .check(classes);
    }
}
