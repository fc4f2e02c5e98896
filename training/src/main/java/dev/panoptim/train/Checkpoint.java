package dev.panoptim.train;

import dev.panoptim.optim.StateDict;

import java.nio.file.Path;

/**
 * A checkpoint read back by {@link Checkpoints#load}: its folder, where the run stood
 * ({@link CheckpointState}) and the optimizer's state dict (buffers included). The model's tensors stay
 * in {@link #modelFile()} until {@link Checkpoints#restore} copies them into a model.
 *
 * <pre>{@code Checkpoint c = Checkpoints.load(Path.of("panoptim/checkpoints/3k2j9x0a"));}</pre>
 *
 * @param dir       the checkpoint's folder
 * @param state     where the run stood
 * @param optimizer the optimizer's state dict
 */
public record Checkpoint(Path dir, CheckpointState state, StateDict optimizer) {
    /** The model's parameters and buffers (torch's state_dict names). */
    public Path modelFile() {
        return dir.resolve(Checkpoints.MODEL);
    }
}
