package org.spreadjms.store.log;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for a test, to make a real full disk (mounting needs root, which CI and the development
 * machines have; elsewhere the test is skipped with the reason).
 */
public final class Tmpfs implements AutoCloseable {
    private final Path mount;

    private Tmpfs(Path mount) {
        this.mount = mount;
    }

    public static Tmpfs mount(Path where, int megabytes) throws Exception {
        Files.createDirectories(where);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs",
                where.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0,
                "cannot mount a tmpfs here (needs root): " + out);
        return new Tmpfs(where);
    }

    public Path path() {
        return mount;
    }

    /** Writes {@code filler} until the file system is full. */
    public void fill(Path filler) throws IOException {
        try (FileOutputStream f = new FileOutputStream(filler.toFile())) {
            byte[] chunk = new byte[64 * 1024];
            while (true) {
                f.write(chunk);
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space"), full.toString());
        }
    }

    @Override
    public void close() throws Exception {
        new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }
}
