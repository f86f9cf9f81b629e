package io.camelcast;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The house rules of DESIGN.md, checked on the production classes (a build that breaks one fails here):
 * arrows point one way, cli → runtime → flows → shared parts; flows meet at queue message types; nothing
 * in production but the demo and the {@code sim} command reaches the simulators.
 */
class ArchitectureTest {

    /** Flows and outside-system clients: one package each. */
    static final String[] FLOWS = {"io.camelcast.recording..", "io.camelcast.opencast..", "io.camelcast.upload..",
            "io.camelcast.bunny..", "io.camelcast.analytics..", "io.camelcast.zoom..", "io.camelcast.kaltura..",
            "io.camelcast.media.."};
    /** Shared low-level parts every flow may use. */
    static final String[] SHARED = {"io.camelcast.store..", "io.camelcast.http..", "io.camelcast.dlq..",
            "io.camelcast.logging..", "io.camelcast.embedded..", "io.camelcast.config..", "io.camelcast.messages..",
            "io.camelcast.notify.."};

    static JavaClasses production;

    @BeforeAll
    static void load() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.camelcast");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.camelcast.(*)..").should().beFreeOfCycles().check(production);
    }

    @Test
    void flowsNeverReachRuntimeCliDemoOrSimulators() {
        noClasses().that().resideInAnyPackage(FLOWS).should().dependOnClassesThat()
                .resideInAnyPackage("io.camelcast.runtime..", "io.camelcast.cli..", "io.camelcast.demo..", "io.camelcast.sim..")
                .check(production);
    }

    @Test
    void sharedPartsNeverReachFlowsOrWhatAssemblesThem() {
        String[] above = new String[FLOWS.length + 4];
        System.arraycopy(FLOWS, 0, above, 0, FLOWS.length);
        above[FLOWS.length] = "io.camelcast.runtime..";
        above[FLOWS.length + 1] = "io.camelcast.cli..";
        above[FLOWS.length + 2] = "io.camelcast.demo..";
        above[FLOWS.length + 3] = "io.camelcast.sim..";
        noClasses().that().resideInAnyPackage(SHARED).should().dependOnClassesThat().resideInAnyPackage(above)
                .check(production);
    }

    /** Flows meet at queue message types ({@code messages}); the outside-system clients zoom and bunny may be used. */
    @Test
    void flowsDoNotReachIntoEachOther() {
        String[][] pairs = {
                {"io.camelcast.recording..", "io.camelcast.opencast..", "io.camelcast.upload..", "io.camelcast.analytics.."},
                {"io.camelcast.opencast..", "io.camelcast.recording..", "io.camelcast.upload..", "io.camelcast.analytics.."},
                {"io.camelcast.upload..", "io.camelcast.recording..", "io.camelcast.opencast..", "io.camelcast.analytics.."},
                {"io.camelcast.analytics..", "io.camelcast.recording..", "io.camelcast.opencast..", "io.camelcast.upload.."},
                {"io.camelcast.zoom..", "io.camelcast.recording..", "io.camelcast.opencast..", "io.camelcast.upload..",
                        "io.camelcast.analytics..", "io.camelcast.bunny.."},
                {"io.camelcast.bunny..", "io.camelcast.recording..", "io.camelcast.opencast..", "io.camelcast.upload..",
                        "io.camelcast.analytics..", "io.camelcast.zoom.."}};
        for (String[] p : pairs) {
            String[] others = java.util.Arrays.copyOfRange(p, 1, p.length);
            noClasses().that().resideInAPackage(p[0]).should().dependOnClassesThat().resideInAnyPackage(others)
                    .check(production);
        }
    }

    @Test
    void onlyTheDemoAndTheCliReachTheSimulators() {
        noClasses().that().resideOutsideOfPackages("io.camelcast.sim..", "io.camelcast.demo..", "io.camelcast.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.camelcast.sim..").check(production);
    }

    /** A class a maintainer can read in one sitting: none of the production sources runs over 500 lines. */
    @Test
    void noProductionSourceIsOver500Lines() throws java.io.IOException {
        java.util.Map<String, Long> over = new java.util.TreeMap<>();
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java"))) {
            for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                long lines;
                try (var l = java.nio.file.Files.lines(f)) {
                    lines = l.count();
                }
                if (lines > 500) {
                    over.put(f.toString(), lines);
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Map.of(), over, "split these by concern");
    }
}
