package org.spreadjms.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who may join which groups, send to which groups, and take which private names. One rule per line,
 * {@code #} starts a comment line:
 *
 * <pre>
 * # who            right   patterns (see NamePattern)
 * user:alice       read    orders.>  queue:orders.>
 * role:ops         write   orders.*
 * anonymous        read    public.>
 * *                name    >
 * </pre>
 *
 * <ul>
 * <li>who: {@code user:NAME}, {@code role:NAME} (roles come from the user file), {@code anonymous} (sessions that did
 * not authenticate) or {@code *} (everyone).</li>
 * <li>rights: {@code read} = join the group (and so receive what is sent to it); {@code write} = send to the group;
 * {@code name} = connect with that private name; {@code all} = all three.</li>
 * </ul>
 *
 * Only allow rules: with an ACL in force anything no rule allows is refused. A private name the daemon invents (the
 * client asked for none) is always allowed. Messages to private groups ({@code #name#daemon}, point-to-point) are not
 * checked. A member of a group that may read it may also send spread-jms's queue control messages (message type
 * {@value #QUEUE_CONTROL_MESS_TYPE}, acknowledgements) to it: queue consumers need that.
 */
final class AccessControlList {
    /** spread-jms's QueueProtocol.CONTROL_MESS_TYPE. */
    static final short QUEUE_CONTROL_MESS_TYPE = 0x534C;

    enum Right { READ, WRITE, NAME }

    private record Rule(String who, boolean read, boolean write, boolean name, List<NamePattern> patterns) {
        boolean appliesTo(Principal p) {
            if (who.equals("*")) {
                return true;
            }
            if (who.equals("anonymous")) {
                return p.anonymous();
            }
            if (who.startsWith("user:")) {
                return who.substring(5).equals(p.user());
            }
            return who.startsWith("role:") && p.roles().contains(who.substring(5));
        }

        boolean grants(Right r) {
            return switch (r) {
                case READ -> read;
                case WRITE -> write;
                case NAME -> name;
            };
        }
    }

    private final List<Rule> rules;

    private AccessControlList(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static AccessControlList load(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /** @throws IllegalArgumentException naming the source, the line and the rule broken */
    static AccessControlList parse(List<String> lines, String source) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            String[] f = line.split("\\s+");
            if (f.length < 3) {
                throw new IllegalArgumentException(where + ": expected 'WHO RIGHT PATTERN...', got '" + line + "'");
            }
            String who = f[0];
            if (!(who.equals("*") || who.equals("anonymous") || (who.startsWith("user:") && who.length() > 5)
                    || (who.startsWith("role:") && who.length() > 5))) {
                throw new IllegalArgumentException(where + ": '" + who
                        + "' is not user:NAME, role:NAME, anonymous or *");
            }
            String right = f[1].toLowerCase(Locale.ROOT);
            boolean all = right.equals("all");
            if (!all && !right.equals("read") && !right.equals("write") && !right.equals("name")) {
                throw new IllegalArgumentException(where + ": right '" + f[1] + "' is not read, write, name or all");
            }
            List<NamePattern> patterns = new ArrayList<>();
            for (int k = 2; k < f.length; k++) {
                try {
                    patterns.add(NamePattern.compile(f[k]));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
            rules.add(new Rule(who, all || right.equals("read"), all || right.equals("write"),
                    all || right.equals("name"), patterns));
        }
        return new AccessControlList(rules);
    }

    /** Whether some rule gives {@code p} the right on {@code name}. */
    boolean allows(Principal p, Right right, String name) {
        for (Rule r : rules) {
            if (r.grants(right) && r.appliesTo(p)) {
                for (NamePattern pattern : r.patterns()) {
                    if (pattern.matches(name)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    int size() {
        return rules.size();
    }
}
