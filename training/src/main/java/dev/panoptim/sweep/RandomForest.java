package dev.panoptim.sweep;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A random forest for regression, pure Java and seeded, as scikit-learn's {@code RandomForestRegressor}
 * builds it: each tree grows on a bootstrap sample (n draws with replacement, kept as per-sample weights),
 * splits on the largest reduction of the weighted squared error at a midpoint between neighbouring
 * distinct values, over a random subset of the features at each node ({@link MaxFeatures#ALL} by default,
 * sklearn's default for regression), until a node is pure, too small to give both children
 * {@code minSamplesLeaf} distinct samples, or at {@code maxDepth}. A prediction is the mean of the trees'
 * leaf means. {@link #featureImportances()} is sklearn's {@code feature_importances_} (mean decrease in
 * impurity): per tree, each split's weighted impurity decrease summed by feature and normalised to sum 1;
 * averaged over the trees that split at all, normalised again; all zeros when no tree could split.
 *
 * <pre>{@code double[] importances = RandomForest.fit(x, y, RandomForest.Options.defaults(0)).featureImportances();}</pre>
 */
public final class RandomForest {
    /** How many features each node draws before looking for its split. */
    public enum MaxFeatures {
        /** All of them (sklearn's regression default, {@code max_features=1.0}): trees differ by their bootstrap only. */
        ALL,
        /** {@code max(1, floor(sqrt(features)))}, sklearn's {@code "sqrt"}. */
        SQRT
    }

    /** {@code maxDepth} {@link Integer#MAX_VALUE}: grow until the leaves are pure or at {@code minSamplesLeaf}. */
    public record Options(int trees, MaxFeatures maxFeatures, int minSamplesLeaf, int maxDepth, long seed) {
        public Options {
            if (trees < 1) throw new IllegalArgumentException("trees must be at least 1, not " + trees);
            if (maxFeatures == null) throw new IllegalArgumentException("maxFeatures must be ALL or SQRT, not null");
            if (minSamplesLeaf < 1) throw new IllegalArgumentException("minSamplesLeaf must be at least 1, not " + minSamplesLeaf);
            if (maxDepth < 1) throw new IllegalArgumentException("maxDepth must be at least 1, not " + maxDepth);
        }

        /** sklearn's defaults: 100 trees, all features, leaves of one sample, unlimited depth. */
        public static Options defaults(long seed) {
            return new Options(100, MaxFeatures.ALL, 1, Integer.MAX_VALUE, seed);
        }
    }

    private final Tree[] trees;
    private final double[] importances;

    private RandomForest(Tree[] trees, double[] importances) {
        this.trees = trees;
        this.importances = importances;
    }

    /** Fits {@code y ~ x} (rows of x are samples); non-finite values and ragged rows are IllegalArgumentExceptions. */
    public static RandomForest fit(double[][] x, double[] y, Options options) {
        int n = x.length;
        if (n == 0) throw new IllegalArgumentException("a random forest needs at least one sample, got none");
        if (y.length != n) throw new IllegalArgumentException("x has " + n + " rows but y has " + y.length + " values");
        int features = x[0].length;
        if (features == 0) throw new IllegalArgumentException("a random forest needs at least one feature, got none");
        for (int i = 0; i < n; i++) {
            if (x[i].length != features) throw new IllegalArgumentException("row " + i + " has " + x[i].length + " features, row 0 has " + features);
            for (int f = 0; f < features; f++) {
                if (!Double.isFinite(x[i][f])) throw new IllegalArgumentException("x[" + i + "][" + f + "] is " + x[i][f] + ", not a finite number");
            }
            if (!Double.isFinite(y[i])) throw new IllegalArgumentException("y[" + i + "] is " + y[i] + ", not a finite number");
        }
        int perNode = options.maxFeatures() == MaxFeatures.ALL ? features : Math.max(1, (int) Math.floor(Math.sqrt(features)));
        SplittableRandom random = new SplittableRandom(options.seed());
        Tree[] trees = new Tree[options.trees()];
        double[] sum = new double[features];
        for (int t = 0; t < trees.length; t++) {
            SplittableRandom treeRandom = random.split();
            double[] weight = new double[n];
            for (int k = 0; k < n; k++) weight[treeRandom.nextInt(n)]++;
            int distinct = 0;
            for (double w : weight) if (w > 0) distinct++;
            int[] rows = new int[distinct];
            for (int i = 0, k = 0; i < n; i++) if (weight[i] > 0) rows[k++] = i;
            Tree tree = new Tree(x, y, weight, features, perNode, options, treeRandom, 2 * distinct);
            tree.grow(rows, 0);
            trees[t] = tree;
            double[] imp = tree.importances();
            if (imp != null) for (int f = 0; f < features; f++) sum[f] += imp[f];
        }
        // The mean over the splitting trees, normalised to sum 1: the count of trees cancels out.
        double total = Arrays.stream(sum).sum();
        double[] importances = new double[features];
        for (int f = 0; f < features; f++) importances[f] = total > 0 ? sum[f] / total : 0;
        return new RandomForest(trees, importances);
    }

    /** The mean of the trees' predictions for one sample (as many features as fitted). */
    public double predict(double[] row) {
        if (row.length != importances.length) {
            throw new IllegalArgumentException("the forest was fitted on " + importances.length + " features, the row has " + row.length);
        }
        double s = 0;
        for (Tree t : trees) s += t.predict(row);
        return s / trees.length;
    }

    /** Mean decrease in impurity per feature, summing to 1 (all zeros when no tree split). */
    public double[] featureImportances() {
        return importances.clone();
    }

    /** One CART regression tree, its nodes in flat arrays (a leaf has feature -1). */
    private static final class Tree {
        private final double[][] x;
        private final double[] y, weight;
        private final int features, perNode;
        private final Options options;
        private final SplittableRandom random;
        private final int[] feature, left, right;
        private final double[] threshold, value;
        private final double[] decrease;
        private int nodes;
        private double rootWeight;

        Tree(double[][] x, double[] y, double[] weight, int features, int perNode, Options options, SplittableRandom random, int capacity) {
            this.x = x;
            this.y = y;
            this.weight = weight;
            this.features = features;
            this.perNode = perNode;
            this.options = options;
            this.random = random;
            feature = new int[capacity];
            left = new int[capacity];
            right = new int[capacity];
            threshold = new double[capacity];
            value = new double[capacity];
            decrease = new double[features];
        }

        /** Grows the subtree of {@code rows} (distinct sample indices); returns its node. */
        int grow(int[] rows, int depth) {
            int node = nodes++;
            double w = 0, s = 0;
            for (int i : rows) {
                w += weight[i];
                s += weight[i] * y[i];
            }
            if (depth == 0) rootWeight = w;
            value[node] = s / w;
            feature[node] = -1;
            if (depth >= options.maxDepth() || rows.length < 2 * options.minSamplesLeaf() || pure(rows)) return node;
            Split best = bestSplit(rows);
            if (best == null) return node;
            int[] l = Arrays.stream(rows).filter(i -> x[i][best.feature] <= best.threshold).toArray();
            int[] r = Arrays.stream(rows).filter(i -> x[i][best.feature] > best.threshold).toArray();
            // The weighted impurity decrease, from two-pass sums (the one-pass proxy only ranks candidates).
            decrease[best.feature] += squaredError(rows) - squaredError(l) - squaredError(r);
            feature[node] = best.feature;
            threshold[node] = best.threshold;
            left[node] = grow(l, depth + 1);
            right[node] = grow(r, depth + 1);
            return node;
        }

        private record Split(int feature, double threshold) {}

        /**
         * The best split over up to {@code perNode} features that vary in this node, drawn in random order;
         * like sklearn, features constant in the node are skipped without counting. Null when none varies.
         */
        private Split bestSplit(int[] rows) {
            int[] order = new int[features];
            for (int f = 0; f < features; f++) order[f] = f;
            int m = rows.length, minLeaf = options.minSamplesLeaf();
            double bestProxy = Double.NEGATIVE_INFINITY;
            Split best = null;
            Integer[] sorted = new Integer[m];
            int tried = 0;
            for (int k = 0; k < features && tried < perNode; k++) {
                int j = k + random.nextInt(features - k);
                int f = order[j];
                order[j] = order[k];
                order[k] = f;
                for (int a = 0; a < m; a++) sorted[a] = rows[a];
                Arrays.sort(sorted, (a, b) -> Double.compare(x[a][f], x[b][f]));
                if (x[sorted[0]][f] == x[sorted[m - 1]][f]) continue;
                tried++;
                double wAll = 0, sAll = 0;
                for (int i : rows) {
                    wAll += weight[i];
                    sAll += weight[i] * y[i];
                }
                double wl = 0, sl = 0;
                for (int a = 0; a < m - 1; a++) {
                    int i = sorted[a];
                    wl += weight[i];
                    sl += weight[i] * y[i];
                    double here = x[i][f], next = x[sorted[a + 1]][f];
                    if (next == here || a + 1 < minLeaf || m - a - 1 < minLeaf) continue;
                    double wr = wAll - wl, sr = sAll - sl;
                    // Maximising sl^2/wl + sr^2/wr minimises the children's weighted squared error.
                    double proxy = sl * sl / wl + sr * sr / wr;
                    if (proxy > bestProxy) {
                        bestProxy = proxy;
                        double mid = here + (next - here) / 2;
                        best = new Split(f, mid < next ? mid : here);
                    }
                }
            }
            return best;
        }

        private boolean pure(int[] rows) {
            for (int i : rows) if (y[i] != y[rows[0]]) return false;
            return true;
        }

        private double squaredError(int[] rows) {
            double w = 0, s = 0;
            for (int i : rows) {
                w += weight[i];
                s += weight[i] * y[i];
            }
            double mean = s / w, e = 0;
            for (int i : rows) e += weight[i] * (y[i] - mean) * (y[i] - mean);
            return e;
        }

        /** This tree's importances normalised to sum 1, or null when it never split. */
        double[] importances() {
            double total = 0;
            for (double d : decrease) total += d / rootWeight;
            if (nodes <= 1 || !(total > 0)) return null;
            double[] out = new double[features];
            for (int f = 0; f < features; f++) out[f] = decrease[f] / rootWeight / total;
            return out;
        }

        double predict(double[] row) {
            int node = 0;
            while (feature[node] >= 0) node = row[feature[node]] <= threshold[node] ? left[node] : right[node];
            return value[node];
        }
    }
}
