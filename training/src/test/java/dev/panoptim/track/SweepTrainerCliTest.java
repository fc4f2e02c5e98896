package dev.panoptim.track;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.panoptim.track.RunsCliTest.run;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sweep run and agent choose between a program's subprocesses and panoptim's trainer in-process; what would
 * fail every trial exits 2 before any sweep is stored. (Trials that train: TrainerTrialTest, sweep_trainer_test.sh.)
 */
class SweepTrainerCliTest {
    @TempDir
    Path dir;

    private Path config(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private boolean storeExists() {
        return Files.exists(dir.resolve("store").resolve(SqliteRunStore.FILE_NAME));
    }

    @Test
    void trainOptionsAreForTheTrainersSweepsOnly() throws Exception {
        String withProgram = config("prog.yaml", "program: train.py\nmethod: grid\nparameters: {lr: {values: [0.1]}}\n").toString();
        String store = dir.resolve("store").toString();
        String err = run("sweep", "run", withProgram, "--epochs", "1", "--dir", store).expect(2).err();
        assertTrue(err.contains("--epochs: train options set the base of a sweep of panoptim's trainer (a config without program), but "
                + withProgram + " runs train.py"), err);
        err = run("sweep", "run", withProgram, "--seed", "3", "--dir", store).expect(2).err();
        assertTrue(err.contains("(the sampler's seed is --sweep-seed)"), err);
        assertFalse(storeExists(), "nothing stored");
    }

    @Test
    void aConfigThatDoesNotFitTheTrainerExits2() throws Exception {
        String bad = config("bad.yaml", """
                method: random
                metric: {name: f1, goal: maximize}
                parameters:
                  learning_rate: {min: 0.001, max: 0.1}
                  dropout_rate: {values: [0.1, 0.5]}
                """).toString();
        String err = run("sweep", "run", bad, "--count", "1", "--dir", dir.resolve("store").toString()).expect(2).err();
        assertTrue(err.contains(bad + " has no program, so its trials train panoptim's trainer, which it does not fit (2 problems):"), err);
        assertTrue(err.contains("  parameters: unknown training argument dropout_rate (valid, in snake_case or camelCase: dataset,"), err);
        assertTrue(err.contains("  metric.name: the trainer does not log 'f1'"), err);

        String good = config("good.yaml", "method: grid\nparameters: {epochs: {values: [1]}}\n").toString();
        err = run("sweep", "run", good, "--resume", dir.toString(), "--name", "x", "--dir", dir.resolve("store").toString()).expect(2).err();
        assertTrue(err.contains("--resume, --name: not for a sweep's trials"), err);
        assertFalse(storeExists(), "nothing stored");
    }

    @Test
    void anAgentChecksTheStoredSweep() throws Exception {
        String store = dir.resolve("store").toString();
        String good = config("good.yaml", "method: grid\nparameters: {epochs: {values: [1]}, learning_rate: {value: 0.01}}\n").toString();
        String id = run("sweep", "create", good, "--dir", store).expect(0).out().strip().lines().reduce((a, b) -> b).orElseThrow();
        String err = run("agent", id, "--count", "0", "--dir", store).expect(2).err();
        assertTrue(err.contains("--count must be at least 1, not 0"), err);
        err = run("agent", "nosuchid", "--dir", store).expect(2).err();
        assertTrue(err.contains("unknown sweep id 'nosuchid'"), err);
        err = run("agent", id, "--checkpoint-dir", dir.toString(), "--dir", store).expect(2).err();
        assertTrue(err.contains("--checkpoint-dir: not for a sweep's trials"), err);
    }
}
