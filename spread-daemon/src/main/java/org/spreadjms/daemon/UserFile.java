package org.spreadjms.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;
import org.spreadjms.client.wire.AuthMessages;

/**
 * The daemon's users: one line per user, {@code NAME HASH [ROLE,ROLE...]}, {@code #} starts a comment line. The hash
 * is the SCRAM-SHA-256 stored-key form PostgreSQL uses, never the password:
 *
 * <pre>
 * alice  SCRAM-SHA-256$4096:&lt;salt, base64&gt;$&lt;StoredKey, base64&gt;:&lt;ServerKey, base64&gt;  ops,admin
 * </pre>
 *
 * StoredKey = SHA-256(HMAC(SaltedPassword, "Client Key")) with SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt,
 * iterations) (RFC 5802/7677): enough to check a SCRAM proof or a clear-text (PWORD) password, not enough to log in
 * with. Write entries with {@code spread passwd} or {@link #write}.
 */
public final class UserFile {
    static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_256;
    static final String SCHEME = "SCRAM-SHA-256";
    public static final int DEFAULT_ITERATIONS = 4096;
    private static final int MIN_ITERATIONS = 4096;
    private static final int SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One user's entry. */
    record User(String name, int iterations, byte[] salt, byte[] storedKey, byte[] serverKey, Set<String> roles) {
    }

    private final Map<String, User> users;

    private UserFile(Map<String, User> users) {
        this.users = Map.copyOf(users);
    }

    static UserFile load(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses the lines of a user file.
     *
     * @throws IllegalArgumentException naming the source, the line and the rule broken
     */
    static UserFile parse(List<String> lines, String source) {
        Map<String, User> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            String[] f = line.split("\\s+");
            if (f.length < 2 || f.length > 3) {
                throw new IllegalArgumentException(where + ": expected 'NAME HASH [ROLE,...]', got " + f.length
                        + " fields");
            }
            try {
                AuthMessages.checkUser(f[0]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            User u = parseHash(f[0], f[1], f.length == 3 ? roles(f[2]) : Set.of(), where);
            if (users.putIfAbsent(u.name(), u) != null) {
                throw new IllegalArgumentException(where + ": user '" + u.name() + "' is listed twice");
            }
        }
        return new UserFile(users);
    }

    private static Set<String> roles(String field) {
        Set<String> roles = new LinkedHashSet<>();
        for (String r : field.split(",")) {
            if (!r.isEmpty()) {
                roles.add(r);
            }
        }
        return Set.copyOf(roles);
    }

    private static User parseHash(String name, String hash, Set<String> roles, String where) {
        // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
        if (!hash.startsWith(SCHEME + "$")) {
            throw new IllegalArgumentException(where + ": the password of '" + name + "' is not a " + SCHEME
                    + " hash (clear-text passwords are not accepted; write entries with 'spread passwd')");
        }
        String[] parts = hash.substring(SCHEME.length() + 1).split("\\$");
        String[] a = parts.length == 2 ? parts[0].split(":") : new String[0];
        String[] b = parts.length == 2 ? parts[1].split(":") : new String[0];
        if (a.length != 2 || b.length != 2) {
            throw new IllegalArgumentException(where + ": hash of '" + name + "' is not of the form " + SCHEME
                    + "$ITERATIONS:SALT$STOREDKEY:SERVERKEY");
        }
        try {
            int iterations = Integer.parseInt(a[0]);
            if (iterations < MIN_ITERATIONS) {
                throw new IllegalArgumentException(where + ": " + iterations + " iterations for '" + name
                        + "' (at least " + MIN_ITERATIONS + ")");
            }
            Base64.Decoder d = Base64.getDecoder();
            byte[] stored = d.decode(b[0]);
            byte[] server = d.decode(b[1]);
            if (stored.length != 32 || server.length != 32) {
                throw new IllegalArgumentException(where + ": keys of '" + name + "' are not 32 bytes");
            }
            return new User(name, iterations, d.decode(a[1]), stored, server, roles);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": iteration count '" + a[0] + "' of '" + name
                    + "' is not a number", e);
        }
    }

    /** The user of that name, or null. */
    User user(String name) {
        return users.get(name);
    }

    int size() {
        return users.size();
    }

    /** Whether a clear-text password (PWORD) is the user's: PBKDF2 of it gives the stored key (constant-time compare). */
    static boolean verify(User u, String password) {
        byte[] salted = ScramFunctions.saltedPassword(MECHANISM, StringPreparation.SASL_PREPARATION,
                password.toCharArray(), u.salt(), u.iterations());
        byte[] stored = ScramFunctions.storedKey(MECHANISM, ScramFunctions.clientKey(MECHANISM, salted));
        return MessageDigest.isEqual(stored, u.storedKey());
    }

    /** The hash field for a new password, with a fresh random salt. */
    public static String hash(String password, int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("iterations " + iterations + " is below " + MIN_ITERATIONS);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] salted = ScramFunctions.saltedPassword(MECHANISM, StringPreparation.SASL_PREPARATION,
                password.toCharArray(), salt, iterations);
        Base64.Encoder e = Base64.getEncoder();
        return SCHEME + "$" + iterations + ":" + e.encodeToString(salt) + "$"
                + e.encodeToString(ScramFunctions.storedKey(MECHANISM, ScramFunctions.clientKey(MECHANISM, salted)))
                + ":" + e.encodeToString(ScramFunctions.serverKey(MECHANISM, salted));
    }

    /**
     * Adds or replaces a user's line in {@code file} (created if missing), keeping every other line; the file is
     * replaced atomically, so a daemon watching it never reads half a file.
     */
    public static void write(Path file, String user, String password, Set<String> roles, int iterations)
            throws IOException {
        AuthMessages.checkUser(user);
        for (String r : roles) {
            if (r.isEmpty() || r.contains(",") || r.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("role '" + r + "' must be non-empty, without ',' or white space");
            }
        }
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
        parse(lines, file.toString()); // refuse to extend a broken file
        String entry = user + " " + hash(password, iterations) + (roles.isEmpty() ? "" : " " + String.join(",", roles));
        List<String> out = new ArrayList<>();
        boolean replaced = false;
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            if (!line.strip().startsWith("#") && f[0].equals(user)) {
                if (!replaced) {
                    out.add(entry);
                    replaced = true;
                }
            } else {
                out.add(line);
            }
        }
        if (!replaced) {
            out.add(entry);
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".users", ".tmp");
        try {
            Files.write(tmp, out, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
