package dev.panoptim.landscape;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the three landscape files into a directory without losing anything else there: each is
 * rendered to a temporary file beside its target, and only when all three are complete are they
 * moved over {@code trajectories.csv}, {@code landscape.html} and {@code landscape.png}. Other files
 * in the directory are never touched; on failure the temporary files are removed.
 */
final class OutputFiles {
    static final String CSV = "trajectories.csv";
    static final String HTML = "landscape.html";
    static final String PNG = "landscape.png";

    private static final SecureRandom RANDOM = new SecureRandom();

    private OutputFiles() {}

    static Landscapes.Outputs write(Path dir, LossSurface surface, List<Trajectory> trajectories, LossSurface.Window window)
            throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not a directory");
        }
        Files.createDirectories(dir);
        for (String name : List.of(CSV, HTML, PNG)) {
            Path target = dir.resolve(name);
            if (Files.exists(target) && !Files.isRegularFile(target)) {
                throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a regular file; not replacing it");
            }
        }
        List<Path> temps = new ArrayList<>();
        try {
            Path csv = temp(dir, CSV, temps);
            try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                TrajectoryCsv.write(w, trajectories);
            }
            Path html = temp(dir, HTML, temps);
            Files.writeString(html, LandscapeHtml.render(surface, trajectories, window), StandardCharsets.UTF_8);
            Path png = temp(dir, PNG, temps);
            LandscapePng.write(png, surface, trajectories, window);
            return new Landscapes.Outputs(move(csv, dir.resolve(CSV)), move(html, dir.resolve(HTML)), move(png, dir.resolve(PNG)));
        } finally {
            for (Path t : temps) Files.deleteIfExists(t);
        }
    }

    /** An empty new file beside the target, with the umask's permissions (createTempFile would make it 0600). */
    private static Path temp(Path dir, String name, List<Path> temps) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path t = dir.resolve("." + name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                Files.createFile(t);
                temps.add(t);
                return t;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) throw e;
            }
        }
    }

    private static Path move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }
}
