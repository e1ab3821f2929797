package org.spreadjms.jms.message;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the object graph in a Java serialization stream before anything is deserialized, to refuse graphs whose
 * deserialization or later use would take exponential time.
 *
 * <p>Why: {@link java.io.ObjectInputFilter} sees depth, references, array lengths and bytes, but not how objects are
 * shared. Nested {@code HashSet}s that reference the same sets again (a "deserialization bomb") stay within every
 * such limit (a few hundred references, depth 6, 160 KB) while {@code HashSet.readObject} hashes each element, and
 * hashing a set of sets walks every path through the shared sets: 2^depth or width^depth steps, seconds to forever.
 *
 * <p>What is measured: for each object, its <em>unfolded size</em> u: 1 plus the unfolded sizes of everything it
 * references, so a shared object counts once per reference (a reference back to an object still being read, a
 * cycle, counts 1). Hashing or comparing an object from scratch costs about its u; the <em>graph work</em> is the sum
 * of u over all objects in the stream, which bounds what hashing every collection of the graph costs. A tree of n
 * objects has a work of n times its average depth; a bomb's work grows exponentially and is refused once it passes
 * the bound, after linear work here.
 *
 * <p>The stream is parsed with the grammar of the Java Object Serialization Specification (chapter 6): class
 * descriptors, field values, block data and the objects a {@code writeObject} method wrote, arrays, strings, enums,
 * back references. Objects a class's {@code readObject} would skip are counted too (an over-estimate). The parser
 * bounds itself: nesting depth, array length, the number of objects and the input length, so it cannot recurse or
 * allocate without limit. Not thread-safe; one instance per stream.
 */
final class SerializedGraphMeter {
    private static final short STREAM_MAGIC = (short) 0xACED;
    private static final short STREAM_VERSION = 5;
    private static final byte TC_NULL = 0x70;
    private static final byte TC_REFERENCE = 0x71;
    private static final byte TC_CLASSDESC = 0x72;
    private static final byte TC_OBJECT = 0x73;
    private static final byte TC_STRING = 0x74;
    private static final byte TC_ARRAY = 0x75;
    private static final byte TC_CLASS = 0x76;
    private static final byte TC_BLOCKDATA = 0x77;
    private static final byte TC_ENDBLOCKDATA = 0x78;
    private static final byte TC_RESET = 0x79;
    private static final byte TC_BLOCKDATALONG = 0x7A;
    private static final byte TC_EXCEPTION = 0x7B;
    private static final byte TC_LONGSTRING = 0x7C;
    private static final byte TC_PROXYCLASSDESC = 0x7D;
    private static final byte TC_ENUM = 0x7E;
    private static final int BASE_WIRE_HANDLE = 0x7E0000;
    private static final byte SC_WRITE_METHOD = 0x01;
    private static final byte SC_SERIALIZABLE = 0x02;
    private static final byte SC_EXTERNALIZABLE = 0x04;
    private static final byte SC_BLOCK_DATA = 0x08;
    /** Superclasses a class may have beyond the object nesting depth (a chain of class descriptors nests too). */
    private static final int MAX_CLASS_HIERARCHY = 64;
    /** The JDK's own limit on the interfaces of a proxy class descriptor. */
    private static final int MAX_PROXY_INTERFACES = 65535;

    /** Why a stream was refused: a limit (named) or a malformed stream. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    /** A class descriptor: how to read the class's data in an object. */
    private record ClassDesc(String name, byte flags, char[] fieldTypes, ClassDesc superDesc) {
    }

    /** An object, array or string: its unfolded size once complete, -1 while it is being read. */
    private static final class Node {
        long size = -1;
    }

    private static final Node LEAF = new Node();

    static {
        LEAF.size = 1;
    }

    private final ByteBuffer in;
    private final int maxDepth;
    private final int maxArrayLength;
    private final long maxReferences;
    private final long maxGraphWork;
    private final List<Object> handles = new ArrayList<>();
    private long references;
    private long work;

    private SerializedGraphMeter(byte[] stream, int maxDepth, int maxArrayLength, long maxReferences,
                                 long maxGraphWork) {
        this.in = ByteBuffer.wrap(stream);
        this.maxDepth = maxDepth;
        this.maxArrayLength = maxArrayLength;
        this.maxReferences = maxReferences;
        this.maxGraphWork = maxGraphWork;
    }

    /**
     * Parses the first object of {@code stream} and returns its graph work.
     *
     * @throws Refusal naming the limit exceeded, or saying where the stream is malformed
     */
    static long measure(byte[] stream, int maxDepth, int maxArrayLength, long maxReferences, long maxGraphWork)
            throws Refusal {
        SerializedGraphMeter m = new SerializedGraphMeter(stream, maxDepth, maxArrayLength, maxReferences,
                maxGraphWork);
        try {
            m.root();
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new Refusal("the body is not a valid serialized object: it ends inside an object");
        } catch (StackOverflowError e) {
            // only with limits raised far beyond the defaults: the parser recurses once per nesting level
            throw new Refusal("object graph nesting exceeds what the parser's stack holds (maxDepth=" + maxDepth
                    + ")");
        }
        return m.work;
    }

    private void root() throws Refusal {
        if (in.getShort() != STREAM_MAGIC || in.getShort() != STREAM_VERSION) {
            throw malformed("no serialization stream header");
        }
        while (in.get(in.position()) == TC_RESET) {
            in.get();
            handles.clear();
        }
        content(1);
    }

    /** Reads one object (any kind) at nesting {@code depth}; returns its unfolded size (0 for null). */
    private long content(int depth) throws Refusal {
        if (depth > maxDepth) {
            throw new Refusal("object graph depth " + depth + " exceeds the limit maxDepth=" + maxDepth);
        }
        if (++references > maxReferences) {
            throw new Refusal("object references " + references + " exceed the limit maxReferences="
                    + maxReferences);
        }
        byte tc = in.get();
        return switch (tc) {
            case TC_NULL -> 0;
            case TC_REFERENCE -> {
                Object o = handle(in.getInt());
                yield o instanceof Node n && n.size >= 0 ? n.size : 1;
            }
            case TC_STRING -> leaf(in.getShort() & 0xFFFF);
            case TC_LONGSTRING -> leaf(in.getLong());
            case TC_CLASS -> {
                classDesc(depth);
                handles.add(LEAF);
                yield count(1);
            }
            case TC_CLASSDESC, TC_PROXYCLASSDESC -> {
                in.position(in.position() - 1);
                classDesc(depth);
                yield count(1);
            }
            case TC_ENUM -> {
                classDesc(depth);
                handles.add(LEAF);
                content(depth + 1); // the constant's name
                yield count(1);
            }
            case TC_ARRAY -> array(depth);
            case TC_OBJECT -> object(depth);
            case TC_EXCEPTION -> throw malformed("the writer aborted (TC_EXCEPTION)");
            case TC_RESET -> throw malformed("a reset inside an object");
            default -> throw malformed(String.format("unexpected type code 0x%02x", tc));
        };
    }

    private long leaf(long utfBytes) throws Refusal {
        skip(utfBytes);
        handles.add(LEAF);
        return count(1);
    }

    private long array(int depth) throws Refusal {
        ClassDesc cd = classDesc(depth);
        if (cd == null || cd.name.length() < 2 || cd.name.charAt(0) != '[') {
            throw malformed("an array without an array class");
        }
        Node node = new Node();
        handles.add(node);
        int length = in.getInt();
        if (length < 0 || length > maxArrayLength) {
            throw new Refusal("array length " + length + " exceeds the limit maxArrayLength=" + maxArrayLength);
        }
        char element = cd.name.charAt(1);
        long size = 1;
        if (element == 'L' || element == '[') {
            for (int i = 0; i < length; i++) {
                size += content(depth + 1);
            }
        } else {
            skip((long) length * primitiveBytes(element));
        }
        return complete(node, size);
    }

    private long object(int depth) throws Refusal {
        ClassDesc cd = classDesc(depth);
        if (cd == null) {
            throw malformed("an object without a class");
        }
        Node node = new Node();
        handles.add(node);
        List<ClassDesc> chain = new ArrayList<>();
        for (ClassDesc c = cd; c != null; c = c.superDesc) {
            chain.add(0, c); // data comes superclass first
        }
        long size = 1;
        for (ClassDesc c : chain) {
            if ((c.flags & SC_EXTERNALIZABLE) != 0) {
                if ((c.flags & SC_BLOCK_DATA) == 0) {
                    throw malformed("class " + c.name + " uses the old externalizable protocol");
                }
                size += annotation(depth);
            } else if ((c.flags & SC_SERIALIZABLE) != 0) {
                for (char t : c.fieldTypes) {
                    if (t == 'L' || t == '[') {
                        size += content(depth + 1);
                    } else {
                        skip(primitiveBytes(t));
                    }
                }
                if ((c.flags & SC_WRITE_METHOD) != 0) {
                    size += annotation(depth);
                }
            }
        }
        return complete(node, size);
    }

    /** Block data and objects up to TC_ENDBLOCKDATA; returns the objects' unfolded sizes. */
    private long annotation(int depth) throws Refusal {
        long size = 0;
        while (true) {
            byte tc = in.get(in.position());
            if (tc == TC_ENDBLOCKDATA) {
                in.get();
                return size;
            } else if (tc == TC_BLOCKDATA) {
                in.get();
                skip(in.get() & 0xFF);
            } else if (tc == TC_BLOCKDATALONG) {
                in.get();
                int n = in.getInt();
                if (n < 0) {
                    throw malformed("negative block data length");
                }
                skip(n);
            } else {
                size += content(depth + 1);
            }
        }
    }

    /** A class descriptor, a reference to one, or null. */
    private ClassDesc classDesc(int depth) throws Refusal {
        if (depth > maxDepth + MAX_CLASS_HIERARCHY) {
            throw new Refusal("class descriptors nest " + depth + " deep, past the limit maxDepth=" + maxDepth
                    + " plus " + MAX_CLASS_HIERARCHY + " superclasses");
        }
        byte tc = in.get();
        switch (tc) {
            case TC_NULL:
                return null;
            case TC_REFERENCE:
                if (handle(in.getInt()) instanceof ClassDesc cd) {
                    return cd;
                }
                throw malformed("a class descriptor reference to something else");
            case TC_CLASSDESC: {
                String name = utf();
                in.getLong(); // serialVersionUID
                int slot = handles.size();
                handles.add(null);
                byte flags = in.get();
                int fields = in.getShort();
                if (fields < 0) {
                    throw malformed("negative field count");
                }
                char[] types = new char[fields];
                boolean objects = false;
                for (int i = 0; i < fields; i++) {
                    char t = (char) in.get();
                    utf(); // field name
                    if (t == 'L' || t == '[') {
                        objects = true;
                        typeString();
                    } else if (objects || primitiveBytes(t) < 0) {
                        throw malformed("illegal field type or order in class " + name);
                    }
                    types[i] = t;
                }
                annotation(depth);
                ClassDesc cd = new ClassDesc(name, flags, types, classDesc(depth + 1));
                handles.set(slot, cd);
                return cd;
            }
            case TC_PROXYCLASSDESC: {
                int slot = handles.size();
                handles.add(null);
                int interfaces = in.getInt();
                if (interfaces < 0 || interfaces > MAX_PROXY_INTERFACES) {
                    throw malformed("proxy class with " + interfaces + " interfaces");
                }
                for (int i = 0; i < interfaces; i++) {
                    utf();
                }
                annotation(depth);
                ClassDesc cd = new ClassDesc("proxy", SC_SERIALIZABLE, new char[0], classDesc(depth + 1));
                handles.set(slot, cd);
                return cd;
            }
            default:
                throw malformed(String.format("unexpected type code 0x%02x where a class descriptor belongs", tc));
        }
    }

    /** The type name of an object field: a string or a reference to one (not an object of the graph). */
    private void typeString() throws Refusal {
        byte tc = in.get();
        switch (tc) {
            case TC_STRING -> {
                skip(in.getShort() & 0xFFFF);
                handles.add(LEAF);
            }
            case TC_LONGSTRING -> {
                skip(in.getLong());
                handles.add(LEAF);
            }
            case TC_REFERENCE -> handle(in.getInt());
            default -> throw malformed(String.format("unexpected type code 0x%02x for a field type", tc));
        }
    }

    private Object handle(int wire) throws Refusal {
        int h = wire - BASE_WIRE_HANDLE;
        if (h < 0 || h >= handles.size() || handles.get(h) == null) {
            throw malformed("reference to unknown handle 0x" + Integer.toHexString(wire));
        }
        return handles.get(h);
    }

    private long complete(Node node, long size) throws Refusal {
        node.size = size;
        return count(size);
    }

    /** Adds an object's unfolded size to the graph work. */
    private long count(long size) throws Refusal {
        work += size;
        if (work > maxGraphWork) {
            throw new Refusal("object graph work exceeds the limit maxGraphWork=" + maxGraphWork + " (objects counted once per reference"
                    + " to them and once per object they are under; shared nested collections, such as a"
                    + " deserialization bomb of nested HashSets, grow it exponentially)");
        }
        return size;
    }

    private String utf() throws Refusal {
        int n = in.getShort() & 0xFFFF;
        if (n > in.remaining()) {
            throw malformed("a name longer than the rest of the stream");
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void skip(long n) throws Refusal {
        if (n < 0 || n > in.remaining()) {
            throw malformed("a length of " + n + " bytes past the end of the stream");
        }
        in.position(in.position() + (int) n);
    }

    private static int primitiveBytes(char type) {
        return switch (type) {
            case 'B', 'Z' -> 1;
            case 'C', 'S' -> 2;
            case 'I', 'F' -> 4;
            case 'J', 'D' -> 8;
            default -> -1;
        };
    }

    private Refusal malformed(String why) {
        return new Refusal("the body is not a valid serialized object: " + why + " at byte " + in.position());
    }
}
