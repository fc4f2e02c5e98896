package dev.panoptim.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Finds and loads libpanoptim: from {@code -Dpanoptim.library.path=/path/libpanoptim.so} when set,
 * otherwise from this jar ({@code /dev/panoptim/native/<os>-<arch>/libpanoptim.so}), extracted once
 * into a cache folder named by the library's content hash, so concurrent JVMs and upgrades never
 * overwrite a library in use. The jar ships two libraries: {@code libpanoptim.so} (CPU kernels and
 * the real CUDA kernels) and {@code libpanoptim_cudasim.so} (the same C API whose CUDA kernels run on
 * the CPU simulator); the environment variable {@code PANOPTIM_CUDA_SIM=1} or
 * {@code -Dpanoptim.cuda=sim} picks the simulator ({@link #source()} says which and why).
 *
 * <pre>{@code Path lib = NativeLibrary.path();   // loads on first use, throws with what it looked for }</pre>
 */
public final class NativeLibrary {
    /** System property that points at a libpanoptim.so to use instead of the one in the jar. */
    public static final String PATH_PROPERTY = "panoptim.library.path";
    /** System property that overrides the extraction cache folder (default ~/.cache/panoptim). */
    public static final String CACHE_PROPERTY = "panoptim.cache.dir";

    /** System property that picks the CUDA simulator library when set to {@code sim}. */
    public static final String CUDA_PROPERTY = "panoptim.cuda";
    /** Environment variable that picks the CUDA simulator library when set to {@code 1}. */
    public static final String CUDA_SIM_ENV = "PANOPTIM_CUDA_SIM";

    static final String LIBRARY_FILE = "libpanoptim.so";
    static final String SIMULATOR_FILE = "libpanoptim_cudasim.so";

    private static volatile Loaded loaded;

    private record Loaded(Path path, String source, SymbolLookup lookup) {}

    private NativeLibrary() {}

    /** The symbol lookup of the loaded library; loads it on first use. */
    public static SymbolLookup lookup() {
        return load().lookup();
    }

    /** Absolute path of the loaded library file. */
    public static Path path() {
        return load().path();
    }

    /**
     * Where the library came from, for {@code panoptim info}: the property, or the jar resource and,
     * for the simulator, what asked for it.
     */
    public static String source() {
        return load().source();
    }

    /** The platform folder name used inside the jar, e.g. {@code linux-x86_64}. */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("linux") ? "linux" : os.contains("mac") ? "macos" : os.contains("win") ? "windows" : os;
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return osName + "-" + archName;
    }

    private static Loaded load() {
        Loaded l = loaded;
        if (l != null) return l;
        synchronized (NativeLibrary.class) {
            if (loaded == null) loaded = locate();
            return loaded;
        }
    }

    private static Loaded locate() {
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override).toAbsolutePath();
            if (!Files.isRegularFile(p)) {
                throw new UnsatisfiedLinkError("panoptim: -D" + PATH_PROPERTY + "=" + override
                        + " does not name a file (looked for " + p + ")");
            }
            return open(p, "-D" + PATH_PROPERTY);
        }
        String simulatorReason = simulatorRequest(System.getenv(CUDA_SIM_ENV), System.getProperty(CUDA_PROPERTY));
        String fileName = simulatorReason != null ? SIMULATOR_FILE : LIBRARY_FILE;
        String resource = "/dev/panoptim/native/" + platform() + "/" + fileName;
        byte[] bytes;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null && simulatorReason != null) {
                throw new UnsatisfiedLinkError("panoptim: " + simulatorReason + " asks for the CUDA simulator, but "
                        + SIMULATOR_FILE + " is not in the panoptim-bindings jar (looked for resource " + resource
                        + "). Build it with bin/build-native (CMake option PANOPTIM_CUDASIM=ON, which needs"
                        + " libboost-fiber-dev), or unset " + CUDA_SIM_ENV + " / -D" + CUDA_PROPERTY + " to use "
                        + LIBRARY_FILE);
            }
            if (in == null) {
                throw new UnsatisfiedLinkError("panoptim: no native library for platform " + platform()
                        + " (looked for resource " + resource + " in the panoptim-bindings jar). Build one with"
                        + " bin/build-native and pass -D" + PATH_PROPERTY + "=/path/to/" + LIBRARY_FILE);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw linkError("could not read resource " + resource, e);
        }
        Path file = extract(fileName, bytes);
        String source = "jar resource " + resource;
        return open(file, simulatorReason == null ? source : source + ", the CUDA simulator (" + simulatorReason + ")");
    }

    /**
     * Why the CUDA simulator library is wanted ({@code "PANOPTIM_CUDA_SIM=1"} or
     * {@code "-Dpanoptim.cuda=sim"}), or null for the real library. Other values of the property
     * (Maven's build switch {@code -Dpanoptim.cuda=OFF} reaches test JVMs too) mean the real one.
     */
    static String simulatorRequest(String env, String property) {
        if (property != null && property.strip().equalsIgnoreCase("sim")) return "-D" + CUDA_PROPERTY + "=sim";
        if (env != null && env.strip().equals("1")) return CUDA_SIM_ENV + "=1";
        return null;
    }

    private static Path extract(String fileName, byte[] bytes) {
        String hash = sha256(bytes).substring(0, 16);
        Path base = cacheRoot();
        Path dir = base.resolve(hash);
        Path file = dir.resolve(fileName);
        try {
            if (Files.isRegularFile(file) && Files.size(file) == bytes.length) return file;
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, fileName, ".part");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw linkError("could not extract " + fileName + " to " + dir + " (set -D" + CACHE_PROPERTY
                    + " to a writable folder)", e);
        }
    }

    private static Path cacheRoot() {
        String prop = System.getProperty(CACHE_PROPERTY);
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path home = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        Path preferred = home.resolve("panoptim");
        try {
            Files.createDirectories(preferred);
            if (Files.isWritable(preferred)) return preferred;
        } catch (IOException ignored) {
            // fall through to the temp folder: a read-only home must not stop the library loading
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "panoptim-" + System.getProperty("user.name", "user"));
    }

    private static Loaded open(Path file, String source) {
        try {
            SymbolLookup lookup = SymbolLookup.libraryLookup(file, Arena.global());
            return new Loaded(file, source, lookup);
        } catch (IllegalArgumentException e) {
            throw linkError("could not load " + file + " (from " + source + "): " + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static UnsatisfiedLinkError linkError(String message, Throwable cause) {
        UnsatisfiedLinkError error = new UnsatisfiedLinkError("panoptim: " + message);
        error.initCause(cause);
        return error;
    }
}
