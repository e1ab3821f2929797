package org.spreadjms.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the user file and the ACL into a {@link SecurityPolicy}, and loads them again when either file changes (a
 * watcher thread compares modification time and size every poll interval) or when {@link #reload()} is called (the
 * CLI calls it on SIGHUP). A file that does not parse keeps the policy in force and is logged at ERROR; the daemon
 * never runs with half a file. Changes apply to later handshakes, joins and sends; sessions already open stay open
 * and keep their memberships.
 */
final class SecurityFiles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityFiles.class);

    private final Path usersFile;
    private final Path aclFile;
    private final Boolean allowAnonymous;
    private final boolean pword;
    private final Duration pollInterval;
    private final AtomicLong generation = new AtomicLong();
    private volatile SecurityPolicy policy;
    private volatile Thread watcher;
    private Stamp usersStamp;
    private Stamp aclStamp;

    private record Stamp(FileTime modified, long size) {
        static Stamp of(Path p) {
            try {
                return p == null ? null : new Stamp(Files.getLastModifiedTime(p), Files.size(p));
            } catch (IOException e) {
                return new Stamp(FileTime.fromMillis(0), -1);
            }
        }
    }

    /**
     * @param allowAnonymous null: anonymous sessions allowed exactly when there is no user file
     */
    SecurityFiles(Path usersFile, Path aclFile, Boolean allowAnonymous, boolean pword, Duration pollInterval) {
        this.usersFile = usersFile;
        this.aclFile = aclFile;
        this.allowAnonymous = allowAnonymous;
        this.pword = pword;
        this.pollInterval = pollInterval;
    }

    /** No files: everything allowed, everyone anonymous (the segment fixture). */
    static SecurityFiles open() {
        SecurityFiles f = new SecurityFiles(null, null, true, false, Duration.ofSeconds(1));
        f.policy = SecurityPolicy.OPEN;
        return f;
    }

    /** Loads the files for the first time; unlike a reload, a broken file fails the start. */
    void load() throws IOException {
        usersStamp = Stamp.of(usersFile);
        aclStamp = Stamp.of(aclFile);
        policy = read();
        generation.incrementAndGet();
        LOG.info("security: {}", describe(policy));
    }

    SecurityPolicy policy() {
        return policy;
    }

    /** Increases with every policy loaded (for tests and operators to see that a reload happened). */
    long generation() {
        return generation.get();
    }

    /** Loads both files again; returns whether the new policy is in force (false: kept the old one, logged). */
    synchronized boolean reload() {
        usersStamp = Stamp.of(usersFile);
        aclStamp = Stamp.of(aclFile);
        try {
            SecurityPolicy next = read();
            policy = next;
            generation.incrementAndGet();
            LOG.info("security reloaded: {}", describe(next));
            return true;
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("security files not reloaded, the previous ones stay in force: {}", e.getMessage());
            return false;
        }
    }

    /** Starts the watcher thread (only when there is a file to watch). */
    void startWatching() {
        if (usersFile == null && aclFile == null) {
            return;
        }
        Thread t = new Thread(this::watch, "spread-daemon-security-watch");
        t.setDaemon(true);
        watcher = t;
        t.start();
    }

    private void watch() {
        while (watcher == Thread.currentThread()) {
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            boolean changed;
            synchronized (this) {
                changed = !Objects.equals(usersStamp, Stamp.of(usersFile)) || !Objects.equals(aclStamp,
                        Stamp.of(aclFile));
            }
            if (changed) {
                reload();
            }
        }
    }

    @Override
    public void close() {
        Thread t = watcher;
        watcher = null;
        if (t != null) {
            t.interrupt();
        }
    }

    private SecurityPolicy read() throws IOException {
        UserFile users = usersFile == null ? null : UserFile.load(usersFile);
        AccessControlList acl = aclFile == null ? null : AccessControlList.load(aclFile);
        boolean anonymous = allowAnonymous != null ? allowAnonymous : usersFile == null;
        if (!anonymous && users == null) {
            throw new IllegalArgumentException("anonymous sessions are not allowed and there is no user file: nobody"
                    + " could connect");
        }
        return new SecurityPolicy(users, acl, anonymous, pword);
    }

    private String describe(SecurityPolicy p) {
        return (p.users() == null ? "no users" : p.users().size() + " user(s) from " + usersFile)
                + ", " + (p.acl() == null ? "no ACL (everything allowed)" : p.acl().size() + " ACL rule(s) from "
                + aclFile) + ", anonymous " + (p.allowAnonymous() ? "allowed" : "refused") + ", methods "
                + p.authMethods();
    }
}
