package dev.panoptim.ui;

import dev.panoptim.track.RunStore.HistoryBucket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * History buckets as the API writes them: one array per bucket,
 * {@code [firstStep, lastStep, count, min, minStep, max, maxStep, last, nonFinite]}, with min and max null
 * (and their steps -1) where the bucket has no finite value; arrays keep a 1,000-bucket answer small.
 *
 * <pre>{@code List<List<Object>> rows = BucketRows.of(store.historyBuckets(id, "loss", 0, last, 1000));}</pre>
 */
final class BucketRows {
    private BucketRows() {}

    static List<List<Object>> of(List<HistoryBucket> buckets) {
        List<List<Object>> rows = new ArrayList<>(buckets.size());
        for (HistoryBucket b : buckets) {
            boolean none = Double.isNaN(b.min());
            rows.add(Arrays.asList(b.firstStep(), b.lastStep(), b.count(), none ? null : b.min(), b.minStep(),
                    none ? null : b.max(), b.maxStep(), b.last(), b.hasNonFinite()));
        }
        return rows;
    }
}
