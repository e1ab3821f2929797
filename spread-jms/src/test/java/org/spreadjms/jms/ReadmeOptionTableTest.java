package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README's "Connection factory options" table is hand-written; this keeps it honest: it lists exactly the options of
 * {@link SpreadJmsSettings#OPTIONS}, in their order, each with its type and default as the table of descriptors has
 * them. The meaning column stays free prose.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReadmeOptionTableTest {
    private static final Path README = Path.of("..", "README.md");
    private static final String SECTION = "### Connection factory options";

    @Test
    void readmeListsExactlyTheOptionsWithTheirTypesAndDefaults() throws IOException {
        List<String> expected = new ArrayList<>();
        for (UriOption<?> o : SpreadJmsSettings.OPTIONS) {
            expected.add("`" + o.name() + "` | " + o.kind().label() + " | " + o.defaultText());
        }
        assertEquals(expected, readmeRows(), () -> "README.md's option table is out of date; the options are:\n"
                + SpreadJmsSettings.optionTable());
    }

    /** The first three cells of each row of the table in the section, joined as "a | b | c". */
    private static List<String> readmeRows() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int i = lines.indexOf(SECTION);
        assertTrue(i >= 0, "README.md has no line '" + SECTION + "'");
        while (i < lines.size() && !lines.get(i).startsWith("| option | type | default |")) {
            i++;
        }
        assertTrue(i < lines.size(), "no '| option | type | default | meaning |' table under " + SECTION);
        List<String> rows = new ArrayList<>();
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            rows.add(cells[1].trim() + " | " + cells[2].trim() + " | " + cells[3].trim());
        }
        assertTrue(!rows.isEmpty(), "the option table in README.md is empty");
        return rows;
    }
}
