package org.spreadjms.jms.destination;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.InvalidDestinationException;

import org.spreadjms.client.NameRules;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.wire.GroupNames;
import org.spreadjms.jms.errors.JmsErrors;

/**
 * How JMS destination names map onto Spread group names and private group names.
 *
 * <h2>The mapping rule</h2>
 * <ul>
 * <li>A JMS name that is already a legal Spread group name maps to itself: 1..31 characters, each in {@code '$'..'~'}
 * (36..126), not starting with a digit or {@code '#'}. So {@code orders} is the Spread group {@code orders}, and a
 * plain (non-JMS) Spread program can join it.</li>
 * <li>Any other non-empty name (too long, spaces, non-ASCII, leading digit, ...) maps deterministically to
 * {@code <prefix>~<hash>}: the prefix is the first {@value #PREFIX_CHARS} characters of the name with every illegal
 * character replaced by {@code '_'} (and a leading digit or {@code '#'} replaced by {@code '_'} too); the hash is the
 * first {@value #HASH_CHARS} characters of the unpadded base64url encoding of SHA-256 over the name's UTF-8 bytes.
 * The result is at most 12 + 1 + 18 = 31 legal characters. Two distinct names collide only if their 108-bit hash
 * prefixes collide. Example: {@code "my orders"} maps to {@code my_orders~} followed by 18 hash characters.</li>
 * <li>An empty or null name is refused with {@link InvalidDestinationException}.</li>
 * <li>Names starting with one of {@link #RESERVED_PREFIXES} ({@code q~}, {@code s~}, {@code tt~}, {@code st~},
 * {@code sj~}) are refused with {@link InvalidDestinationException}: they are the namespace of the provider's
 * internal groups (queue groups {@code q~Q}, shared subscriptions {@code s~T~S}, temporary topics {@code tt~...},
 * and the store's and future internal groups). Since the mapping keeps a legal name's characters, and a mapped name
 * starts with the name's sanitized first characters, no other JMS name maps into that namespace.</li>
 * <li>A <em>queue</em> name starting with {@code '#'} addresses a connection's private group directly and must be a
 * valid private group name {@code #name#daemon} (name of 1..10, daemon of 1..19 legal characters); it maps to
 * itself.</li>
 * </ul>
 *
 * <h2>Options</h2>
 * A name may carry destination options after a {@code '?'}: {@code orders?serviceType=AGREED&x=y}. The part before
 * the {@code '?'} is the JMS name; the options are {@code key=value} pairs separated by {@code '&'}, taken verbatim (no
 * percent-decoding). Keys must be non-empty and unique. Which keys are understood is decided by the JMS layer, not
 * here.
 */
public final class DestinationNames {
    /** Characters of the sanitized name kept in front of the hash of a mapped name. */
    public static final int PREFIX_CHARS = 12;
    /** Characters of the base64url SHA-256 hash in a mapped name. */
    public static final int HASH_CHARS = 18;
    /** Separates the sanitized prefix from the hash in a mapped name. */
    public static final char HASH_SEPARATOR = '~';
    /** Prefix of the group names generated for temporary topics. */
    public static final String TEMPORARY_TOPIC_PREFIX = "tt~";

    /** Name prefixes of internal groups, which no topic or queue name may start with. */
    public static final List<String> RESERVED_PREFIXES = List.of("q~", "s~", "tt~", "st~", "sj~");

    private static final int TEMPORARY_TOPIC_RANDOM_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private DestinationNames() {
    }

    /** A name split into the JMS name and its options. */
    public record NameAndOptions(String name, Map<String, String> options) {
    }

    /**
     * The Spread group a topic or queue name maps to (see the class comment for the rule).
     *
     * @throws InvalidDestinationException if the name is null or empty
     */
    public static String groupFor(String jmsName) throws InvalidDestinationException {
        if (jmsName == null || jmsName.isEmpty()) {
            throw JmsErrors.invalidDestination("destination name " + (jmsName == null ? "null" : "''")
                    + " is empty (a destination needs a name of at least one character)", null);
        }
        if (isLegalGroupName(jmsName)) {
            return jmsName;
        }
        return hashedName(jmsName);
    }

    /** Whether {@code jmsName} starts with a prefix reserved for internal groups. */
    public static boolean isReserved(String jmsName) {
        if (jmsName == null) {
            return false;
        }
        for (String p : RESERVED_PREFIXES) {
            if (jmsName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses a topic or queue name in the namespace of internal groups.
     *
     * @param what "topic" or "queue", for the message
     * @throws InvalidDestinationException naming the prefix
     */
    public static void checkNotReserved(String jmsName, String what) throws InvalidDestinationException {
        if (isReserved(jmsName)) {
            String prefix = RESERVED_PREFIXES.stream().filter(jmsName::startsWith).findFirst().orElseThrow();
            throw JmsErrors.invalidDestination(what + " name '" + jmsName + "' starts with '" + prefix + "', which is"
                    + " reserved for spread-jms's internal groups (names starting with " + RESERVED_PREFIXES
                    + " are refused)", null);
        }
    }

    /**
     * The Spread group or private group a queue name maps to: like {@link #groupFor(String)}, except that a name
     * starting with {@code '#'} must be a valid private group name and maps to itself.
     */
    public static String queueGroupFor(String jmsName) throws InvalidDestinationException {
        if (jmsName != null && jmsName.startsWith("#")) {
            checkPrivateGroupName(jmsName);
            return jmsName;
        }
        return groupFor(jmsName);
    }

    /** Whether {@code s} is a legal Spread group name under this project's rules (so maps to itself). */
    public static boolean isLegalGroupName(String s) {
        if (s == null || s.isEmpty() || s.length() > GroupNames.MAX_GROUP_NAME_LENGTH) {
            return false;
        }
        char first = s.charAt(0);
        if (first == '#' || (first >= '0' && first <= '9')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!GroupNames.isLegalNameByte(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Checks a private group name {@code #name#daemon}. */
    public static void checkPrivateGroupName(String name) throws InvalidDestinationException {
        if (name == null || name.isEmpty()) {
            throw JmsErrors.invalidDestination("private group name is empty (expected #name#daemon)", null);
        }
        try {
            NameRules.checkPrivateGroupName(name);
        } catch (SpreadException e) {
            throw JmsErrors.invalidDestination("queue name '" + name + "' starts with '#' but is not a valid private"
                    + " group name: " + e.getMessage(), e);
        }
    }

    /**
     * Splits {@code name?k=v&k=v} into the name and its options (in the order given).
     *
     * @throws InvalidDestinationException if the name part is empty, or an option has no {@code '='}, an empty key,
     *                                     or a key given twice
     */
    public static NameAndOptions split(String nameWithOptions) throws InvalidDestinationException {
        if (nameWithOptions == null) {
            throw JmsErrors.invalidDestination("destination name null is empty (a destination needs a name of at"
                    + " least one character)", null);
        }
        int q = nameWithOptions.indexOf('?');
        if (q < 0) {
            return new NameAndOptions(nameWithOptions, Map.of());
        }
        String name = nameWithOptions.substring(0, q);
        String query = nameWithOptions.substring(q + 1);
        Map<String, String> options = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw JmsErrors.invalidDestination("destination '" + nameWithOptions + "' has option '" + pair
                            + "' (options are key=value pairs separated by '&', keys non-empty)", null);
                }
                String key = pair.substring(0, eq);
                if (options.putIfAbsent(key, pair.substring(eq + 1)) != null) {
                    throw JmsErrors.invalidDestination("destination '" + nameWithOptions + "' gives option '" + key
                            + "' twice", null);
                }
            }
        }
        return new NameAndOptions(name, Collections.unmodifiableMap(options));
    }

    /** A fresh, unique group name for a temporary topic: {@code tt~} and 22 random base64url characters. */
    public static String newTemporaryTopicGroup() {
        byte[] random = new byte[TEMPORARY_TOPIC_RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return TEMPORARY_TOPIC_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String hashedName(String jmsName) {
        StringBuilder b = new StringBuilder(GroupNames.MAX_GROUP_NAME_LENGTH);
        int n = Math.min(PREFIX_CHARS, jmsName.length());
        for (int i = 0; i < n; i++) {
            char c = jmsName.charAt(i);
            boolean illegal = !GroupNames.isLegalNameByte(c) || (i == 0 && c >= '0' && c <= '9');
            b.append(illegal ? '_' : c);
        }
        b.append(HASH_SEPARATOR);
        b.append(hash(jmsName), 0, HASH_CHARS);
        return b.toString();
    }

    private static String hash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
