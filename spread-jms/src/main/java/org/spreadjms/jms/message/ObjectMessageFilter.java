package org.spreadjms.jms.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.ArrayList;
import java.util.List;

import jakarta.jms.MessageFormatException;

import org.spreadjms.jms.errors.JmsErrors;


/**
 * Which classes an {@link jakarta.jms.ObjectMessage} body may deserialize into, and how large the object graph may
 * be. Built on {@link ObjectInputFilter}; every class in the serialized graph (including superclasses and array
 * component types) must be allowed, otherwise {@code getObject()} throws {@link MessageFormatException} naming the
 * refused class. Immutable and thread-safe.
 *
 * <h2>Patterns</h2>
 * <ul>
 * <li>{@code com.acme.Order}: exactly that class (nested classes are written {@code com.acme.Order$Line});</li>
 * <li>{@code com.acme.*}: every class in package {@code com.acme}, not in its subpackages;</li>
 * <li>{@code com.acme.**}: every class in {@code com.acme} and all its subpackages;</li>
 * <li>{@code com.acme.Outer$*}: every class nested in {@code com.acme.Outer};</li>
 * <li>{@code *}: every class. <strong>Unsafe</strong>: deserializing untrusted data with arbitrary classes allows
 * remote code execution through gadget chains. Use it only when every sender is trusted.</li>
 * </ul>
 * Arrays are allowed when their element type is (primitive arrays always are).
 *
 * <h2>Defaults</h2>
 * {@link #defaults()} allows the {@code java.lang} wrappers ({@code String, Boolean, Byte, Short, Integer, Long,
 * Float, Double, Character, Number, Enum}, and {@code Object} for {@code Object[]}), {@code BigInteger},
 * {@code BigDecimal}, {@code java.time.**}, {@code UUID}, {@code Date} and the common {@code java.util} collections:
 * {@code ArrayList, LinkedList, ArrayDeque, HashMap, LinkedHashMap, HashSet, LinkedHashSet, TreeMap, TreeSet,
 * EnumMap}, the {@code EnumSet} proxy, {@code Collections$*} (unmodifiable, synchronized, empty, singleton),
 * {@code Arrays$ArrayList}, {@code ImmutableCollections$*} with their {@code CollSer} proxy, and the map entry types.
 * Not the whole of {@code java.util.**}, which holds classes that have no business in a message.
 *
 * <h2>Limits</h2>
 * Defaults: depth {@value #DEFAULT_MAX_DEPTH}, array length {@value #DEFAULT_MAX_ARRAY_LENGTH} (this also bounds
 * collection sizes, since collections size their arrays from the stream), {@value #DEFAULT_MAX_REFERENCES}
 * references, {@value #DEFAULT_MAX_BYTES} bytes (the JDK's {@code maxdepth}, {@code maxarray}, {@code maxrefs} and
 * {@code maxbytes}, applied through {@link ObjectInputFilter}), and a graph work of
 * {@value #DEFAULT_MAX_GRAPH_WORK}. The graph work is measured on the bytes before anything is deserialized (see
 * {@link SerializedGraphMeter}): the sum over all objects of the size of the graph below each, a shared object
 * counted once per reference. It bounds the time hashing the graph's collections takes, which the four JDK limits do
 * not: nested {@code HashSet}s sharing their elements (a deserialization bomb) pass them all with a few hundred
 * references and would take seconds to forever in {@code HashSet.readObject}. A tree of n objects has a work of n
 * times its average depth (100,000 orders of 10 objects each under one list: about 3,000,000). A refused body
 * throws {@link MessageFormatException} naming the limit.
 */
public final class ObjectMessageFilter {
    public static final int DEFAULT_MAX_DEPTH = 64;
    public static final int DEFAULT_MAX_ARRAY_LENGTH = 1 << 20;
    public static final long DEFAULT_MAX_REFERENCES = 1_000_000;
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    public static final long DEFAULT_MAX_GRAPH_WORK = 10_000_000;

    private static final List<String> DEFAULT_PATTERNS = List.of(
            "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Integer",
            "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Character", "java.lang.Number",
            "java.lang.Enum", "java.lang.Object",
            "java.math.BigInteger", "java.math.BigDecimal",
            "java.time.**",
            "java.util.UUID", "java.util.Date",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.HashMap",
            "java.util.LinkedHashMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeMap",
            "java.util.TreeSet", "java.util.EnumMap", "java.util.EnumSet$SerializationProxy",
            "java.util.Collections$*", "java.util.Arrays$ArrayList", "java.util.ImmutableCollections$*",
            "java.util.CollSer", "java.util.Map$Entry", "java.util.AbstractMap$SimpleEntry",
            "java.util.AbstractMap$SimpleImmutableEntry");

    private static final ObjectMessageFilter DEFAULTS = new ObjectMessageFilter(DEFAULT_PATTERNS, DEFAULT_MAX_DEPTH,
            DEFAULT_MAX_ARRAY_LENGTH, DEFAULT_MAX_REFERENCES, DEFAULT_MAX_BYTES, DEFAULT_MAX_GRAPH_WORK);

    private final List<String> patterns;
    private final boolean allowAll;
    private final int maxDepth;
    private final int maxArrayLength;
    private final long maxReferences;
    private final long maxBytes;
    private final long maxGraphWork;

    private ObjectMessageFilter(List<String> patterns, int maxDepth, int maxArrayLength, long maxReferences,
            long maxBytes, long maxGraphWork) {
        this.patterns = List.copyOf(patterns);
        this.allowAll = patterns.contains("*");
        this.maxDepth = maxDepth;
        this.maxArrayLength = maxArrayLength;
        this.maxReferences = maxReferences;
        this.maxBytes = maxBytes;
        this.maxGraphWork = maxGraphWork;
    }

    /** The default allowlist and limits (see the class comment). */
    public static ObjectMessageFilter defaults() {
        return DEFAULTS;
    }

    /**
     * The defaults plus the given comma-separated patterns, e.g. {@code "com.acme.model.**, com.acme.Order"}.
     * Blank entries are ignored; {@code "*"} allows every class (unsafe, see the class comment).
     *
     * @throws IllegalArgumentException for a malformed pattern
     */
    public static ObjectMessageFilter of(String commaSeparatedPatterns) {
        List<String> extra = new ArrayList<>();
        if (commaSeparatedPatterns != null) {
            for (String p : commaSeparatedPatterns.split(",")) {
                if (!p.isBlank()) {
                    extra.add(p.strip());
                }
            }
        }
        return DEFAULTS.allow(extra.toArray(new String[0]));
    }

    /** This filter with more allowed patterns. */
    public ObjectMessageFilter allow(String... morePatterns) {
        List<String> all = new ArrayList<>(patterns);
        for (String p : morePatterns) {
            checkPattern(p);
            if (!all.contains(p)) {
                all.add(p);
            }
        }
        return new ObjectMessageFilter(all, maxDepth, maxArrayLength, maxReferences, maxBytes, maxGraphWork);
    }

    /** This filter with other limits (each must be positive). */
    public ObjectMessageFilter withLimits(int maxDepth, int maxArrayLength, long maxReferences, long maxBytes) {
        if (maxDepth <= 0 || maxArrayLength <= 0 || maxReferences <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("object filter limits must be positive: depth " + maxDepth
                    + ", array length " + maxArrayLength + ", references " + maxReferences + ", bytes " + maxBytes);
        }
        return new ObjectMessageFilter(patterns, maxDepth, maxArrayLength, maxReferences, maxBytes, maxGraphWork);
    }

    /** This filter with another graph work limit (positive; see the class comment). */
    public ObjectMessageFilter withMaxGraphWork(long maxGraphWork) {
        if (maxGraphWork <= 0) {
            throw new IllegalArgumentException("object filter graph work limit must be positive: " + maxGraphWork);
        }
        return new ObjectMessageFilter(patterns, maxDepth, maxArrayLength, maxReferences, maxBytes, maxGraphWork);
    }

    /** The allowed patterns, defaults first. */
    public List<String> patterns() {
        return patterns;
    }

    /** Whether {@code "*"} was given. */
    public boolean allowsAll() {
        return allowAll;
    }

    public int maxDepth() {
        return maxDepth;
    }

    public int maxArrayLength() {
        return maxArrayLength;
    }

    public long maxReferences() {
        return maxReferences;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public long maxGraphWork() {
        return maxGraphWork;
    }

    private static void checkPattern(String p) {
        if (p == null || p.isEmpty()) {
            throw new IllegalArgumentException("object filter pattern is empty");
        }
        if (p.equals("*")) {
            return;
        }
        String body = p.endsWith(".**") ? p.substring(0, p.length() - 3)
                : p.endsWith(".*") || p.endsWith("$*") ? p.substring(0, p.length() - 2) : p;
        for (String part : body.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))
                    || !part.chars().allMatch(Character::isJavaIdentifierPart)) {
                throw new IllegalArgumentException("object filter pattern '" + p + "' is not a class name, 'pkg.*',"
                        + " 'pkg.**', 'Outer$*' or '*'");
            }
        }
    }

    /** Whether instances of {@code c} (or arrays of it) may be deserialized. */
    public boolean allows(Class<?> c) {
        Class<?> t = c;
        while (t.isArray()) {
            t = t.getComponentType();
        }
        return t.isPrimitive() || allowsClassName(t.getName());
    }

    /** Whether the class with this binary name (e.g. {@code com.acme.Outer$Inner}) matches a pattern. */
    public boolean allowsClassName(String className) {
        if (allowAll) {
            return true;
        }
        int dot = className.lastIndexOf('.');
        String pkg = dot < 0 ? "" : className.substring(0, dot);
        for (String p : patterns) {
            if (p.endsWith(".**")) {
                String base = p.substring(0, p.length() - 3);
                if (pkg.equals(base) || pkg.startsWith(base + ".")) {
                    return true;
                }
            } else if (p.endsWith(".*")) {
                if (pkg.equals(p.substring(0, p.length() - 2))) {
                    return true;
                }
            } else if (p.endsWith("$*")) {
                if (className.startsWith(p.substring(0, p.length() - 1))) {
                    return true;
                }
            } else if (p.equals(className)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Deserializes an ObjectMessage body through this filter, resolving classes with the thread's context class
     * loader first.
     *
     * @throws MessageFormatException if a class is refused, a limit is exceeded, or the bytes are not a valid
     *                                serialized object; the message names the refused class and how to allow it
     */
    public Object deserialize(byte[] bytes) throws MessageFormatException {
        if (bytes.length > maxBytes) {
            throw refused("serialized size " + bytes.length + " bytes exceeds the limit maxBytes=" + maxBytes, null);
        }
        try {
            SerializedGraphMeter.measure(bytes, maxDepth, maxArrayLength, maxReferences, maxGraphWork);
        } catch (SerializedGraphMeter.Refusal e) {
            throw refused(e.getMessage(), e);
        }
        Check check = new Check();
        try (ObjectInputStream in = new ContextLoaderObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(check);
            return in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            String reason = check.refusal != null ? check.refusal
                    : "the body is not a valid serialized object: " + e;
            throw refused(reason, e);
        }
    }

    private static MessageFormatException refused(String reason, Exception cause) {
        MessageFormatException e = new MessageFormatException("cannot deserialize ObjectMessage body: " + reason);
        return cause == null ? e : JmsErrors.withCause(e, cause);
    }

    /**
     * This filter as a plain {@link ObjectInputFilter}: the allowlist and the four JDK limits only. The graph work
     * is measured on the whole stream before reading, which a filter cannot do; {@link #deserialize} does both.
     */
    public ObjectInputFilter asObjectInputFilter() {
        return new Check();
    }

    @Override
    public String toString() {
        return "ObjectMessageFilter" + patterns + "{maxDepth=" + maxDepth + ", maxArrayLength=" + maxArrayLength
                + ", maxReferences=" + maxReferences + ", maxBytes=" + maxBytes + ", maxGraphWork=" + maxGraphWork
                + "}";
    }

    /** One deserialization's check; remembers why it refused, for the error message. */
    private final class Check implements ObjectInputFilter {
        String refusal;

        @Override
        public Status checkInput(FilterInfo info) {
            if (info.depth() > maxDepth) {
                return refuse("object graph depth " + info.depth() + " exceeds the limit maxDepth=" + maxDepth);
            }
            if (info.arrayLength() > maxArrayLength) {
                return refuse("array length " + info.arrayLength() + " exceeds the limit maxArrayLength="
                        + maxArrayLength);
            }
            if (info.references() > maxReferences) {
                return refuse("object references " + info.references() + " exceed the limit maxReferences="
                        + maxReferences);
            }
            if (info.streamBytes() > maxBytes) {
                return refuse("serialized size " + info.streamBytes() + " bytes exceeds the limit maxBytes="
                        + maxBytes);
            }
            Class<?> c = info.serialClass();
            if (c == null) {
                return Status.UNDECIDED;
            }
            if (allows(c)) {
                return Status.ALLOWED;
            }
            String name = c.getName();
            return refuse("class " + name + " is not allowed by the ObjectMessage filter; to allow it, add '" + name
                    + "' (or its package as '" + (name.lastIndexOf('.') < 0 ? name
                    : name.substring(0, name.lastIndexOf('.')) + ".*") + "') to the connection URI option"
                    + " deserializationAllowlist (comma-separated), or to ObjectMessageFilter.of(...) when the"
                    + " filter is built in code");
        }

        private Status refuse(String why) {
            if (refusal == null) {
                refusal = why;
            }
            return Status.REJECTED;
        }
    }

    /** Resolves classes with the context class loader (application servers, plugins), falling back to the default. */
    private static final class ContextLoaderObjectInputStream extends ObjectInputStream {
        ContextLoaderObjectInputStream(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // not visible there: fall back to the default resolution below
                }
            }
            return super.resolveClass(desc);
        }
    }

    /** The patterns {@link #defaults()} allows. */
    public static List<String> defaultPatterns() {
        return DEFAULT_PATTERNS;
    }
}
