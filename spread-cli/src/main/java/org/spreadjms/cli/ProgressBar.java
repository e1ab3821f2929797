package org.spreadjms.cli;

import java.io.PrintStream;

/** A one-line progress bar on a terminal stream, redrawn at most every percent. */
final class ProgressBar {
    private static final int WIDTH = 40;
    private final PrintStream out;
    private final long total;
    private int shownPercent = -1;

    ProgressBar(PrintStream out, long total) {
        this.out = out;
        this.total = total;
    }

    void update(long done) {
        int percent = (int) (done * 100 / total);
        if (percent != shownPercent) {
            shownPercent = percent;
            int filled = percent * WIDTH / 100;
            out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "%");
            if (done >= total) {
                out.println();
            }
            out.flush();
        }
    }
}
