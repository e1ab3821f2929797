package org.spreadjms.jms;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.spreadjms.client.ServiceType;

/**
 * One connection-factory option, written once: its URI name, type, default, one-line description and rule. The table
 * of them in {@link SpreadJmsSettings} drives parsing, copying, {@code toUri()}, validation and the check of README's
 * option table.
 *
 * @param <T> the value's type
 */
final class UriOption<T> {
    /** What the option's value is; the label appears in README's "type" column. */
    enum Kind {
        TEXT("text"), FLAG("true/false"), INTEGER("integer"), BYTES("bytes"), DURATION("ms"), DECIMAL("number"),
        SERVICE_TYPE("service type"), CHOICE("choice"), COUNT_OR_ALL("integer or all");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** The value of a {@link Kind#COUNT_OR_ALL} option set to {@code all}. */
    static final int ALL = -1;

    private final String name;
    private final Kind kind;
    private final T defaultValue;
    private final String description;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final Consumer<T> validator;

    private UriOption(String name, Kind kind, T defaultValue, String description, Function<String, T> parser,
                      Function<T, String> formatter, Consumer<T> validator) {
        this.name = name;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.description = description;
        this.parser = parser;
        this.formatter = formatter;
        this.validator = validator;
    }

    static UriOption<String> text(String name, String description) {
        return text(name, "", description);
    }

    static UriOption<String> text(String name, String defaultValue, String description) {
        return new UriOption<>(name, Kind.TEXT, defaultValue, description, v -> v, v -> v, v -> { });
    }

    static UriOption<String> choice(String name, String defaultValue, List<String> choices, String description) {
        return new UriOption<String>(name, Kind.CHOICE, defaultValue, description, v -> v, v -> v, v -> { })
                .rule("one of " + choices, choices::contains);
    }

    static UriOption<Boolean> flag(String name, boolean defaultValue, String description) {
        return new UriOption<>(name, Kind.FLAG, defaultValue, description, v -> {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("is not true or false");
            }
            return Boolean.parseBoolean(v);
        }, String::valueOf, v -> { });
    }

    static UriOption<Integer> integer(String name, int defaultValue, String description) {
        return new UriOption<>(name, Kind.INTEGER, defaultValue, description,
                v -> numeric(v, Integer::valueOf, "an integer"), String::valueOf, v -> { });
    }

    /** A count of at least 0, or {@code all} ({@link #ALL}: as many as there are). */
    static UriOption<Integer> countOrAll(String name, int defaultValue, String description) {
        return new UriOption<Integer>(name, Kind.COUNT_OR_ALL, defaultValue, description, v -> {
            if (v.trim().equalsIgnoreCase("all")) {
                return ALL;
            }
            int n = numeric(v, Integer::valueOf, "an integer or all");
            if (n < 0) {
                throw new IllegalArgumentException("is neither at least 0 nor all");
            }
            return n;
        }, v -> v == ALL ? "all" : String.valueOf(v), v -> { }).rule("at least 0 or all", n -> n >= 0 || n == ALL);
    }

    static UriOption<Long> bytes(String name, long defaultValue, String description) {
        return new UriOption<>(name, Kind.BYTES, defaultValue, description,
                v -> numeric(v, Long::valueOf, "a whole number of bytes"), String::valueOf, v -> { });
    }

    static UriOption<Double> decimal(String name, double defaultValue, String description) {
        return new UriOption<Double>(name, Kind.DECIMAL, defaultValue, description,
                v -> numeric(v, Double::valueOf, "a number"), String::valueOf, v -> { })
                .rule("a finite number", v -> Double.isFinite(v));
    }

    /** Milliseconds in a URI ({@code 5000}), or ISO-8601 ({@code PT5S}); positive, at most 365 days. */
    static UriOption<Duration> duration(String name, Duration defaultValue, String description) {
        return new UriOption<Duration>(name, Kind.DURATION, defaultValue, description, UriOption::duration,
                UriOption::durationText, v -> { })
                .rule("positive and at most 365 days", v -> !v.isNegative() && !v.isZero()
                        && v.compareTo(Duration.ofDays(365)) <= 0);
    }

    static UriOption<ServiceType> serviceType(String name, ServiceType defaultValue, String description) {
        return new UriOption<>(name, Kind.SERVICE_TYPE, defaultValue, description, v -> {
            try {
                return serviceType(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("is not one of " + List.of(ServiceType.values()), e);
            }
        }, ServiceType::name, v -> { });
    }

    /** This option with one more rule: values failing {@code test} are refused as "name must be {rule}, was v". */
    UriOption<T> rule(String rule, Predicate<T> test) {
        return validatedBy(v -> {
            if (!test.test(v)) {
                throw new IllegalArgumentException(name + " must be " + rule + ", was " + formatter.apply(v));
            }
        });
    }

    /** This option with one more check that throws IllegalArgumentException (naming the option) itself. */
    UriOption<T> validatedBy(Consumer<T> check) {
        return new UriOption<>(name, kind, defaultValue, description, parser, formatter, validator.andThen(check));
    }

    String name() {
        return name;
    }

    Kind kind() {
        return kind;
    }

    T defaultValue() {
        return defaultValue;
    }

    String description() {
        return description;
    }

    /** Whether the option applies only to {@code spread:failover:(...)} URIs. */
    boolean failoverOnly() {
        return name.startsWith("failover.");
    }

    /** The value a URI gives, checked. */
    T parse(String text) {
        T v;
        try {
            v = parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option " + name + "=" + text + " " + e.getMessage(), e);
        }
        return check(v);
    }

    /** {@code value}, if it passes every rule of this option. */
    T check(T value) {
        Objects.requireNonNull(value, name);
        validator.accept(value);
        return value;
    }

    /** The value as a URI writes it (unescaped). */
    String format(Object value) {
        @SuppressWarnings("unchecked")
        T v = (T) value;
        return formatter.apply(v);
    }

    /** The default as README's option table shows it. */
    String defaultText() {
        return switch (kind) {
            case TEXT -> defaultValue.equals("") ? "none" : defaultValue.toString();
            case BYTES -> bytesText((Long) defaultValue);
            default -> format(defaultValue);
        };
    }

    private static String bytesText(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return String.valueOf(bytes);
    }

    /** Parses a service type name, case-insensitively. */
    static ServiceType serviceType(String value) {
        try {
            return ServiceType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("service type '" + value + "' is not one of "
                    + List.of(ServiceType.values()), e);
        }
    }

    private static <N> N numeric(String v, Function<String, N> parse, String what) {
        try {
            return parse.apply(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not " + what, e);
        }
    }

    private static Duration duration(String v) {
        String t = v.trim();
        if (!t.isEmpty() && (t.charAt(0) == 'P' || t.charAt(0) == 'p')) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("is neither milliseconds nor an ISO-8601 duration (PT5S)", e);
            }
        }
        try {
            return Duration.ofMillis(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is neither milliseconds nor an ISO-8601 duration (PT5S)", e);
        }
    }

    /** Whole milliseconds as a number (what URIs have always had); anything finer in ISO-8601. */
    private static String durationText(Duration d) {
        return d.getNano() % 1_000_000 == 0 ? String.valueOf(d.toMillis()) : d.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
