package org.spreadjms.client.wire;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The golden bytes captured against a real Spread 4.0.0 daemon ({@code spread-probes/captures/*.json}, converted to
 * {@code src/test/resources/vectors/*.tsv}: {@code direction<TAB>label<TAB>hex}). Rows with direction {@code --}
 * are section titles.
 */
public final class CaptureVectors {
    public static final String MAIN = "/vectors/capture_main.tsv";
    public static final String ILLEGAL_GROUP = "/vectors/capture_illegal_group.tsv";

    /** One captured protocol unit. */
    public record Vector(String direction, String label, byte[] bytes) {
        public boolean daemonToClient() {
            return direction.equals("D->C");
        }

        public boolean clientToDaemon() {
            return direction.equals("C->D");
        }

        /** Handshake bytes, EOF markers and section titles: everything that is not a message frame. */
        public boolean isFrame() {
            String l = label.toLowerCase(Locale.ROOT);
            return (daemonToClient() || clientToDaemon()) && bytes.length > 0 && !l.contains("connect request")
                    && !l.contains("auth") && !l.contains("accept") && !l.contains("reject") && !l.contains("eof");
        }

        @Override
        public String toString() {
            return direction + " " + label + " (" + bytes.length + " bytes)";
        }
    }

    private CaptureVectors() {
    }

    public static List<Vector> load(String resource) {
        InputStream in = CaptureVectors.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("test resource " + resource + " is missing");
        }
        List<Vector> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 3) {
                    throw new IllegalStateException("bad vector line in " + resource + ": " + line);
                }
                out.add(new Vector(f[0], f[1], HexFormat.of().parseHex(f[2])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Every vector of both captures. */
    public static Stream<Vector> all() {
        return Stream.concat(load(MAIN).stream(), load(ILLEGAL_GROUP).stream());
    }

    /** Message frames the daemon sent. */
    public static Stream<Vector> daemonFrames() {
        return all().filter(v -> v.isFrame() && v.daemonToClient());
    }

    /** Message frames clients sent. */
    public static Stream<Vector> clientFrames() {
        return all().filter(v -> v.isFrame() && v.clientToDaemon());
    }

    /** The bytes of the first vector with exactly this label. */
    public static byte[] bytes(String label) {
        return all().filter(v -> v.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no captured vector labelled '" + label + "'"))
                .bytes();
    }
}
