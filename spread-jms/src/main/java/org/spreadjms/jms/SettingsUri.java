package org.spreadjms.jms;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

import org.spreadjms.client.SpreadAddress;
import org.spreadjms.client.SpreadConstants;

/**
 * The two URI forms of {@link SpreadJmsSettings}, both ways:
 * <pre>
 * spread://host:port?option=value&amp;...
 * spread:failover:(spread://host1:port1,spread://host2:port2)?option=value&amp;...
 * </pre>
 * The port defaults to 4803. Option values are percent-decoded; {@link #format} encodes what would not survive.
 */
final class SettingsUri {
    private static final String FAILOVER_PREFIX = "spread:failover:";
    private static final String FAILOVER_FORM = "spread:failover:(spread://host1:port1,spread://host2:port2)?options";
    /** Characters a formatted option value keeps as they are; everything else is percent-encoded. */
    private static final String KEPT = "-._~*,:/;@!$'()";

    private SettingsUri() {
    }

    static SpreadJmsSettings parse(String text) {
        String t = Objects.requireNonNull(text, "uri").trim();
        SpreadJmsSettings s = new SpreadJmsSettings();
        String query;
        if (t.startsWith(FAILOVER_PREFIX)) {
            String rest = t.substring(FAILOVER_PREFIX.length());
            int close = rest.indexOf(')');
            if (!rest.startsWith("(") || close < 0) {
                throw new IllegalArgumentException("failover URI '" + t + "' must look like " + FAILOVER_FORM);
            }
            String list = rest.substring(1, close);
            if (list.isBlank()) {
                throw new IllegalArgumentException("failover URI '" + t + "' has an empty failover list: name at"
                        + " least one daemon, as in " + FAILOVER_FORM);
            }
            List<SpreadAddress> daemons = new ArrayList<>();
            for (String member : list.split(",", -1)) {
                daemons.add(member(member.trim(), t));
            }
            String after = rest.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith("?")) {
                throw new IllegalArgumentException("unexpected '" + after + "' after the failover list in '" + t
                        + "'");
            }
            s.setDaemons(daemons, true);
            query = after.isEmpty() ? null : after.substring(1);
        } else {
            URI uri = uri(t, t);
            s.setDaemons(List.of(address(uri, t)), false);
            query = uri.getRawQuery();
        }
        applyOptions(s, t, parseQuery(query));
        return s;
    }

    /** One daemon of a failover list: {@code spread://host:port} without options. */
    private static SpreadAddress member(String member, String whole) {
        if (member.isEmpty()) {
            throw new IllegalArgumentException("failover URI '" + whole + "' has an empty entry in its list");
        }
        URI uri = uri(member, whole);
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException("options go after the failover list, not on '" + member + "' in '"
                    + whole + "'");
        }
        return address(uri, whole);
    }

    private static URI uri(String text, String whole) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' in '" + whole + "' is not a URI: " + e.getMessage(),
                    e);
        }
        if (!"spread".equalsIgnoreCase(uri.getScheme()) || uri.isOpaque()) {
            throw new IllegalArgumentException("URI '" + text + "' must start with spread:// (or be " + FAILOVER_FORM
                    + ")");
        }
        return uri;
    }

    private static SpreadAddress address(URI uri, String whole) {
        if (uri.getHost() == null) {
            // java.net.URI gives no host when the authority does not parse as host:port; say which part is wrong
            String authority = uri.getRawAuthority();
            int colon = authority == null ? -1 : authority.lastIndexOf(':');
            if (colon > 0 && !authority.endsWith("]")) {
                String port = authority.substring(colon + 1);
                if (!port.chars().allMatch(Character::isDigit) || port.isEmpty()) {
                    throw new IllegalArgumentException("URI '" + whole + "': port '" + port
                            + "' is not a number (spread://host:port)");
                }
            }
            throw new IllegalArgumentException("URI '" + whole + "' names no host (spread://host:port)");
        }
        int port = uri.getPort() < 0 ? SpreadConstants.DEFAULT_SPREAD_PORT : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("URI '" + whole + "': port " + port + " is outside 1..65535");
        }
        return new SpreadAddress(uri.getHost(), port);
    }

    private static void applyOptions(SpreadJmsSettings s, String text, Map<String, String> given) {
        Map<String, UriOption<?>> known = new LinkedHashMap<>();
        SpreadJmsSettings.OPTIONS.forEach(o -> known.put(o.name(), o));
        List<String> unknown = given.keySet().stream().filter(k -> !known.containsKey(k)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + unknown + " in URI '" + text + "'; known: "
                    + known.keySet());
        }
        List<String> failoverOnly = given.keySet().stream().filter(k -> known.get(k).failoverOnly()).toList();
        if (!s.isFailover() && !failoverOnly.isEmpty()) {
            throw new IllegalArgumentException("option(s) " + failoverOnly + " in URI '" + text + "' apply only to"
                    + " failover URIs, which reconnect: " + failoverExample(s, known.get(failoverOnly.get(0))));
        }
        given.forEach((k, v) -> apply(s, known.get(k), v));
    }

    private static <T> void apply(SpreadJmsSettings s, UriOption<T> option, String value) {
        s.set(option, option.parse(value));
    }

    /** How to write the option for these settings' daemon with reconnection, for error messages. */
    private static String failoverExample(SpreadJmsSettings s, UriOption<?> option) {
        SpreadAddress a = s.daemons().get(0);
        return FAILOVER_PREFIX + "(spread://" + a.host() + ":" + a.port() + ")?" + option.name() + "=...";
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    static String format(SpreadJmsSettings s) {
        StringBuilder sb = new StringBuilder();
        if (s.isFailover()) {
            StringJoiner list = new StringJoiner(",", FAILOVER_PREFIX + "(", ")");
            s.daemons().forEach(a -> list.add(daemon(a)));
            sb.append(list);
        } else {
            sb.append(daemon(s.daemons().get(0)));
        }
        char sep = '?';
        for (UriOption<?> o : SpreadJmsSettings.OPTIONS) {
            Object v = s.get(o);
            if (!v.equals(o.defaultValue())) {
                sb.append(sep).append(o.name()).append('=').append(encode(o.format(v)));
                sep = '&';
            }
        }
        return sb.toString();
    }

    private static String daemon(SpreadAddress a) {
        return "spread://" + a.host() + ":" + a.port();
    }

    private static String encode(String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || KEPT.indexOf(c) >= 0) {
                out.write(c);
            } else {
                out.writeBytes(String.format("%%%02X", c).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
