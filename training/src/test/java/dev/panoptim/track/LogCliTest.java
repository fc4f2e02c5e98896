package dev.panoptim.track;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** panoptim log through the real command line: numbers and KEY=@image files into a run, and its errors. */
class LogCliTest {
    @Test
    void numbersAndImagesGoToTheRun(@TempDir Path dir) throws Exception {
        String d = dir.toString();
        Path png = dir.resolve("a.png"), jpg = dir.resolve("b.jpg"), text = Files.writeString(dir.resolve("notes.txt"), "hello");
        BufferedImage img = new BufferedImage(6, 3, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(img, "png", png.toFile());
        ImageIO.write(img, "jpeg", jpg.toFile());
        String id;
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            id = store.createRun(new RunStore.NewRun("p", "from-shell", "{}", null, ProcessHandle.current().pid(),
                    ProcessIdentity.current().host(), null), System.currentTimeMillis()).id();
        }
        RunsCliTest.run("log", "--run", id, "--dir", d, "accuracy=0.5").expect(0);
        RunsCliTest.run("log", "--run", id, "--dir", d, "loss=0.25", "examples=@" + png, "examples=@" + jpg, "--caption", "two").expect(0);

        try (SqliteRunStore store = SqliteRunStore.openExisting(dir.resolve(SqliteRunStore.FILE_NAME))) {
            RunInfo r = store.run(id).orElseThrow();
            assertEquals(1, r.lastStep());
            assertEquals(Map.of("accuracy", 0.5, "loss", 0.25), r.summary());
            List<RunStore.MediaInfo> items = store.media(id, "examples");
            assertEquals(List.of(new RunStore.MediaInfo(1, 0, "image", "two", "{\"width\":6,\"height\":3}", "image/png"),
                    new RunStore.MediaInfo(1, 1, "image", "two", "{\"width\":6,\"height\":3}", "image/jpeg")), items);
            assertArrayEquals(Files.readAllBytes(jpg), store.mediaData(id, 1, "examples", 1).orElseThrow().data());
        }

        RunsCliTest.Result missing = RunsCliTest.run("log", "--run", id, "--dir", d, "examples=@" + dir.resolve("none.png")).expect(2);
        assertTrue(missing.err().contains("no file " + dir.resolve("none.png")), missing.err());
        RunsCliTest.Result notImage = RunsCliTest.run("log", "--run", id, "--dir", d, "examples=@" + text).expect(2);
        assertTrue(notImage.err().contains("not a PNG or JPEG image"), notImage.err());
        RunsCliTest.Result word = RunsCliTest.run("log", "--run", id, "--dir", d, "loss=high").expect(2);
        assertTrue(word.err().contains("'loss=high': the value must be a number, or @FILE"), word.err());
        RunsCliTest.Result unknown = RunsCliTest.run("log", "--run", "zzzzzzzz", "--dir", d, "loss=1").expect(2);
        assertTrue(unknown.err().contains("the run 'zzzzzzzz' is not in"), unknown.err());
        try (SqliteRunStore store = SqliteRunStore.openExisting(dir.resolve(SqliteRunStore.FILE_NAME))) {
            assertEquals(1, store.run(id).orElseThrow().lastStep(), "refused logs write nothing");
        }
    }
}
