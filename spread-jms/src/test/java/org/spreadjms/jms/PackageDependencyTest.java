package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No package cycle through the root: {@code message}, {@code destination}, {@code provider}, {@code errors},
 * {@code queue} and {@code routing} sources never mention a class {@code org.spreadjms.jms.X} (import, static import or qualified name, comments
 * included), and {@code errors} names no other package of this project. Plain source scanning, so it needs no tool;
 * {@code jdeps -verbose:package spread-jms/target/classes} shows the same.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PackageDependencyTest {
    private static final Path SOURCES = Path.of("src/main/java/org/spreadjms/jms");
    private static final List<String> BELOW_ROOT = List.of("message", "destination", "provider", "errors", "queue",
            "routing");
    /** A class (upper-case start) directly in {@code org.spreadjms.jms}. */
    private static final Pattern ROOT_CLASS = Pattern.compile("org\\.spreadjms\\.jms\\.[A-Z]\\w*");
    private static final Pattern PROJECT_PACKAGE = Pattern.compile("org\\.spreadjms\\.[a-z][\\w.]*");

    @Test
    void packagesBelowTheRootNameNoClassOfTheRoot() throws IOException {
        List<String> found = new ArrayList<>();
        for (String pkg : BELOW_ROOT) {
            for (Path file : javaFiles(SOURCES.resolve(pkg))) {
                Matcher m = ROOT_CLASS.matcher(Files.readString(file));
                while (m.find()) {
                    found.add(pkg + "/" + file.getFileName() + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void errorsIsALeaf() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles(SOURCES.resolve("errors"))) {
            Matcher m = PROJECT_PACKAGE.matcher(Files.readString(file));
            while (m.find()) {
                if (!m.group().startsWith("org.spreadjms.jms.errors")) {
                    found.add(file.getFileName() + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theQueueProtocolDoesNotKnowTheRouting() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles(SOURCES.resolve("queue"))) {
            if (Files.readString(file).contains("org.spreadjms.jms.routing")) {
                found.add(file.getFileName().toString());
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theScanReadsEveryPackage() throws IOException {
        // a scan that reads nothing would pass the tests above
        for (String pkg : BELOW_ROOT) {
            assertFalse(javaFiles(SOURCES.resolve(pkg)).isEmpty(), pkg);
        }
        assertTrue(ROOT_CLASS.matcher("import org.spreadjms.jms.JmsErrors;").find());
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }
}
