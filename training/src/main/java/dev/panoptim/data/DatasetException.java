package dev.panoptim.data;

import java.nio.file.Path;

/**
 * A dataset file is missing, unreadable or corrupt. The message names the file and the problem;
 * {@link #file()} gives the file.
 *
 * <pre>{@code
 * try { Cifar10.load(dir, Split.TRAIN); }
 * catch (DatasetException e) { System.err.println(e.getMessage()); }   // e.g. ".../data_batch_3.bin: missing"
 * }</pre>
 */
public final class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    /** A problem with {@code file}; the message becomes {@code "<file>: <problem>"}. */
    public DatasetException(Path file, String problem) {
        this(file, problem, null);
    }

    /** A problem with {@code file} caused by {@code cause} (e.g. an I/O error). */
    public DatasetException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem is about. */
    public Path file() {
        return file;
    }
}
