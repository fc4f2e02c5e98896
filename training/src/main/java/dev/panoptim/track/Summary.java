package dev.panoptim.track;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A run's summary, like {@code wandb.run.summary}: each metric's last logged value, unless set
 * otherwise; the last write wins, whether it came from {@code log} or {@code put}. Values may be any
 * JSON-writable object (numbers, strings, lists, maps). {@code put}, {@code putAll}, {@code remove}
 * and {@code clear} write through to the store at once; the views ({@code entrySet}, {@code keySet},
 * {@code values}) are read-only snapshots.
 *
 * <pre>{@code run.summary().put("best_accuracy", best);}</pre>
 */
public final class Summary extends AbstractMap<String, Object> {
    private final Object lock;
    private final Consumer<String> persist;
    private final LinkedHashMap<String, Object> values = new LinkedHashMap<>();

    Summary(Object lock, Consumer<String> persist) {
        this.lock = lock;
        this.persist = persist;
    }

    /** The summary's JSON once a log call's values are in (the caller writes it with the log, then calls {@link #logged}). */
    String jsonWith(Map<String, Double> metrics) {
        synchronized (lock) {
            Map<String, Object> next = new LinkedHashMap<>(values);
            next.putAll(metrics);
            return Json.write(next);
        }
    }

    /** Takes a log call's values, once the store has them. */
    void logged(Map<String, Double> metrics) {
        synchronized (lock) {
            values.putAll(metrics);
        }
    }

    String json() {
        synchronized (lock) {
            return Json.write(values);
        }
    }

    @Override
    public Object put(String key, Object value) {
        Objects.requireNonNull(key, "summary keys cannot be null");
        synchronized (lock) {
            Map<String, Object> before = new LinkedHashMap<>(values);
            Object old = values.put(key, value);
            save(before);
            return old;
        }
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        synchronized (lock) {
            Map<String, Object> before = new LinkedHashMap<>(values);
            for (Map.Entry<? extends String, ?> e : m.entrySet()) {
                values.put(Objects.requireNonNull(e.getKey(), "summary keys cannot be null"), e.getValue());
            }
            save(before);
        }
    }

    @Override
    public Object remove(Object key) {
        synchronized (lock) {
            if (!values.containsKey(key)) return null;
            Map<String, Object> before = new LinkedHashMap<>(values);
            Object old = values.remove(key);
            save(before);
            return old;
        }
    }

    @Override
    public void clear() {
        synchronized (lock) {
            Map<String, Object> before = new LinkedHashMap<>(values);
            values.clear();
            save(before);
        }
    }

    /** Writes the summary; when that fails (a value that is not JSON-writable, the store), restores {@code before}. */
    private void save(Map<String, Object> before) {
        try {
            persist.accept(json());
        } catch (RuntimeException e) {
            values.clear();
            values.putAll(before);
            throw e;
        }
    }

    @Override
    public Object get(Object key) {
        synchronized (lock) {
            return values.get(key);
        }
    }

    @Override
    public boolean containsKey(Object key) {
        synchronized (lock) {
            return values.containsKey(key);
        }
    }

    @Override
    public int size() {
        synchronized (lock) {
            return values.size();
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        synchronized (lock) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(values)).entrySet();
        }
    }
}
