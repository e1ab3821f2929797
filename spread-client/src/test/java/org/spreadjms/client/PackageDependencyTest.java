package org.spreadjms.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The lower packages do not name the client package: {@code wire}, {@code membership}, {@code protocol} and
 * {@code transport} sources never mention a class {@code org.spreadjms.client.X} (import, static import or qualified
 * name, comments included), and {@code protocol} names no other package of the client. Plain source scanning, so it
 * needs no tool; {@code jdeps -verbose:package} on the jar shows the same.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PackageDependencyTest {
    private static final Path SOURCES = Path.of("src/main/java/org/spreadjms/client");
    /** A class (upper-case start) directly in {@code org.spreadjms.client}. */
    private static final Pattern CLIENT_CLASS = Pattern.compile("org\\.spreadjms\\.client\\.[A-Z]\\w*");
    private static final Pattern CLIENT_SUBPACKAGE = Pattern.compile("org\\.spreadjms\\.client\\.([a-z]\\w*)");

    @Test
    void lowerPackagesNameNoClassOfTheClientPackage() throws IOException {
        List<String> found = new ArrayList<>();
        for (String pkg : List.of("wire", "membership", "protocol", "transport")) {
            for (Path file : javaFiles(SOURCES.resolve(pkg))) {
                Matcher m = CLIENT_CLASS.matcher(Files.readString(file));
                while (m.find()) {
                    found.add(file.getFileName() + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void protocolIsALeaf() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles(SOURCES.resolve("protocol"))) {
            Matcher m = CLIENT_SUBPACKAGE.matcher(Files.readString(file));
            while (m.find()) {
                if (!m.group(1).equals("protocol")) {
                    found.add(file.getFileName() + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theScanReadsEveryPackage() throws IOException {
        // a scan that reads nothing would pass the tests above
        for (String pkg : List.of("wire", "membership", "protocol", "transport")) {
            assertTrue(!javaFiles(SOURCES.resolve(pkg)).isEmpty(), pkg);
        }
        assertTrue(CLIENT_CLASS.matcher("import org.spreadjms.client.SpreadException;").find());
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }
}
