package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The package structure of spread-jms, read from its main sources: every reference to a type of
 * {@code org.spreadjms.jms...} (imports, static imports and fully qualified names) is an edge between packages.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/org/spreadjms/jms");
    private static final String ROOT = "org.spreadjms.jms";
    /** The packages below the root: the JMS classes use them, never the other way round. */
    private static final Set<String> BELOW_ROOT = Set.of("message", "destination", "provider", "queue", "routing",
            "store", "errors");
    /** Root-package types that packages below the root may still use: none (JmsErrors moved to errors). */
    private static final Set<String> KNOWN_ROOT_IMPORTS = Set.of();

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    /** A qualified type name below org.spreadjms.jms: lower-case package segments, then an upper-case type. */
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.spreadjms\\.jms((?:\\.[a-z]\\w*)*)\\.([A-Z]\\w*)");

    private record Reference(String fromFile, String fromPackage, String toPackage, String type) {
    }

    private static List<Reference> references() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), SOURCES.toAbsolutePath() + " (tests run in the module directory)");
        List<Reference> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                Matcher pm = PACKAGE.matcher(text);
                assertTrue(pm.find(), "no package declaration in " + f);
                String from = pm.group(1);
                Matcher m = REFERENCE.matcher(text.substring(pm.end()));
                while (m.find()) {
                    String to = ROOT + m.group(1);
                    if (!to.equals(from)) {
                        out.add(new Reference(SOURCES.relativize(f).toString(), from, to, m.group(2)));
                    }
                }
            }
        }
        return out;
    }

    private static String shortName(String pkg) {
        return pkg.equals(ROOT) ? "(root)" : pkg.substring(ROOT.length() + 1);
    }

    @Test
    void sourcesAreFoundAndReferencesParsed() throws IOException {
        List<Reference> refs = references();
        assertTrue(refs.size() > 100, "only " + refs.size() + " cross-package references found");
        assertTrue(refs.stream().anyMatch(r -> r.fromPackage().equals(ROOT + ".routing")
                && r.toPackage().equals(ROOT + ".queue") && r.type().equals("QueueProtocols")));
    }

    @Test
    void packagesBelowTheRootDoNotUseTheRootPackage() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Reference r : references()) {
            if (r.toPackage().equals(ROOT) && BELOW_ROOT.contains(shortName(r.fromPackage()))
                    && !KNOWN_ROOT_IMPORTS.contains(r.type())) {
                violations.add(r.fromFile() + " uses " + r.type());
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void packageDependenciesHaveNoCycle() throws IOException {
        Map<String, Set<String>> edges = new TreeMap<>();
        for (Reference r : references()) {
            if (r.toPackage().equals(ROOT) && KNOWN_ROOT_IMPORTS.contains(r.type())) {
                continue; // the known violation above; without it the graph must be acyclic
            }
            edges.computeIfAbsent(shortName(r.fromPackage()), k -> new TreeSet<>()).add(shortName(r.toPackage()));
        }
        List<String> cycle = findCycle(edges);
        assertEquals(List.of(), cycle, "package cycle; dependencies: " + edges);
    }

    /** A cycle of the graph as a path (first package repeated at the end), or an empty list. */
    private static List<String> findCycle(Map<String, Set<String>> edges) {
        Map<String, Integer> state = new HashMap<>(); // 1 on the current path, 2 done
        for (String start : edges.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            List<String> c = visit(start, edges, state, path);
            if (!c.isEmpty()) {
                return c;
            }
        }
        return List.of();
    }

    private static List<String> visit(String p, Map<String, Set<String>> edges, Map<String, Integer> state,
                                      Deque<String> path) {
        Integer s = state.get(p);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null && s == 1) {
            List<String> onPath = new ArrayList<>(path);
            List<String> cycle = new ArrayList<>(onPath.subList(onPath.indexOf(p), onPath.size()));
            cycle.add(p);
            return cycle;
        }
        state.put(p, 1);
        path.addLast(p);
        for (String next : edges.getOrDefault(p, Set.of())) {
            List<String> c = visit(next, edges, state, path);
            if (!c.isEmpty()) {
                return c;
            }
        }
        path.removeLast();
        state.put(p, 2);
        return List.of();
    }

    @Test
    void cycleFinderFindsACycle() {
        Map<String, Set<String>> g = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        List<String> c = findCycle(new TreeMap<>(g));
        assertEquals(c.get(0), c.get(c.size() - 1));
        assertEquals(4, c.size(), c.toString());
        assertEquals(List.of(), findCycle(new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c")))));
    }
}
