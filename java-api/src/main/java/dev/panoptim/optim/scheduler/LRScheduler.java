package dev.panoptim.optim.scheduler;

import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.ParamGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the learning-rate schedulers, torch.optim.lr_scheduler's contract: the constructor records
 * each group's lr as its base lr and sets the lr of epoch 0; each {@link #step()} advances one epoch
 * (or one batch, for per-step schedules such as {@link OneCycleLR}) and writes the new lr into every
 * param group. Call it after {@code optimizer.step()}, as in torch.
 *
 * <pre>{@code
 * LRScheduler sched = new CosineAnnealingLR(opt, 10, 0.0);
 * for (int epoch = 0; epoch < 10; epoch++) { train(opt); sched.step(); }
 * }</pre>
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    protected final List<Double> baseLrs;
    private long lastEpoch;

    protected LRScheduler(Optimizer optimizer) {
        if (optimizer == null) throw new IllegalArgumentException("optimizer must not be null");
        this.optimizer = optimizer;
        List<Double> base = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) base.add(g.lr());
        this.baseLrs = List.copyOf(base);
    }

    /** Sets the lrs of epoch 0; subclasses call it at the end of their constructor, once validated. */
    protected final void initialize() {
        lastEpoch = 0;
        apply();
    }

    /** The lr of group {@code group} at {@code epoch}, from its base lr. */
    protected abstract double lrAt(int group, long epoch);

    /** Extra per-group options to set at {@code epoch} (e.g. OneCycleLR's momentum); none by default. */
    protected void applyExtras(ParamGroup group, int index, long epoch) {}

    /** Advances one epoch (or batch) and updates every group's lr. */
    public void step() {
        lastEpoch++;
        apply();
    }

    private void apply() {
        List<ParamGroup> groups = optimizer.paramGroups();
        if (groups.size() != baseLrs.size()) {
            throw new IllegalStateException("the optimizer has " + groups.size() + " param groups, the scheduler was made for "
                    + baseLrs.size() + " (a group added after the scheduler is not scheduled)");
        }
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).setLr(lrAt(i, lastEpoch));
            applyExtras(groups.get(i), i, lastEpoch);
        }
    }

    /** The number of {@link #step()} calls so far (torch's last_epoch). */
    public long lastEpoch() {
        return lastEpoch;
    }

    /** The lr of each group as last set (torch's get_last_lr()). */
    public List<Double> getLastLr() {
        List<Double> lrs = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) lrs.add(g.lr());
        return lrs;
    }

    /** The scheduler's position and base lrs, JSON-serializable. */
    public Map<String, Object> stateDict() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("last_epoch", lastEpoch);
        state.put("base_lrs", baseLrs);
        return state;
    }

    /** Restores the position saved by {@link #stateDict()} and sets the lrs of that epoch. */
    public void loadStateDict(Map<String, Object> state) {
        if (state == null || !(state.get("last_epoch") instanceof Number n) || n.longValue() < 0) {
            throw new IllegalArgumentException("scheduler state needs a 'last_epoch' >= 0, got " + state);
        }
        Object saved = state.get("base_lrs");
        if (saved instanceof List<?> l && l.size() != baseLrs.size()) {
            throw new IllegalArgumentException("scheduler state has " + l.size() + " base lrs, this scheduler has " + baseLrs.size());
        }
        lastEpoch = n.longValue();
        apply();
    }

    static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
    }
}
