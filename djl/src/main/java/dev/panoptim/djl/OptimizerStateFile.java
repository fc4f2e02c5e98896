package dev.panoptim.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The saved state of a {@link PanoptimOptimizer}: one DJL NDList (DJL's own encoding, which
 * {@code NDList.decode(manager, in)} reads back) of named arrays. The first, {@code panoptim.optimizer},
 * holds the algorithm's name as UTF-8 bytes; then per parameter name {@code NAME/step} (int64
 * scalar, torch's step count) and {@code NAME/BUFFER} (float32, the parameter's shape) for each
 * buffer, under torch's names (exp_avg, exp_avg_sq, momentum_buffer, ...).
 */
final class OptimizerStateFile {
    private OptimizerStateFile() {}

    static final String HEADER = "panoptim.optimizer";

    static void write(String algorithm, Map<String, ParamSlot> byName, OutputStream out) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDList list = new NDList();
            byte[] name = algorithm.getBytes(StandardCharsets.UTF_8);
            list.add(named(manager.create(ByteBuffer.wrap(name), new Shape(name.length), DataType.UINT8), HEADER));
            for (var e : byName.entrySet()) {
                ParamSlot slot = e.getValue();
                if (slot.buffers().isEmpty()) continue;  // nothing learned (plain SGD): nothing to keep
                list.add(named(manager.create(slot.step), e.getKey() + "/step"));
                for (var b : slot.buffers().entrySet()) {
                    float[] values = b.getValue().toArray(ValueLayout.JAVA_FLOAT);
                    list.add(named(manager.create(values, slot.shape()), e.getKey() + "/" + b.getKey()));
                }
            }
            list.encode(out);
        }
    }

    /**
     * The slots saved for {@code algorithm}, by parameter name; a file of another algorithm or that
     * is not such a file is an {@link IllegalArgumentException}.
     */
    static Map<String, ParamSlot> read(String algorithm, InputStream in) throws IOException {
        Map<String, ParamSlot> byName = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDList list;
            try {
                list = NDList.decode(manager, in);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a panoptim optimizer state (DJL could not decode it as an NDList: "
                        + e.getMessage() + ")", e);
            }
            if (list.isEmpty() || !HEADER.equals(list.get(0).getName())) {
                throw new IllegalArgumentException("not a panoptim optimizer state: its first array is not '" + HEADER + "'");
            }
            String saved = new String(list.get(0).toByteArray(), StandardCharsets.UTF_8);
            if (!saved.equals(algorithm)) {
                throw new IllegalArgumentException("the optimizer state was saved by panoptim " + saved
                        + ", not by this " + algorithm);
            }
            try {
                for (NDArray a : list.subNDList(1)) {
                    String full = a.getName();
                    int slash = full == null ? -1 : full.lastIndexOf('/');
                    if (slash <= 0) throw new IllegalArgumentException("the optimizer state has an array named '" + full
                            + "', not PARAMETER/BUFFER");
                    String param = full.substring(0, slash), buffer = full.substring(slash + 1);
                    if (buffer.equals("step")) {
                        if (a.getDataType() != DataType.INT64 || a.size() != 1) {
                            throw new IllegalArgumentException("'" + full + "' must be one int64, got " + a.getDataType()
                                    + " " + a.getShape());
                        }
                        slotOf(byName, param, null).step = a.toLongArray()[0];
                    } else {
                        if (a.getDataType() != DataType.FLOAT32) {
                            throw new IllegalArgumentException("'" + full + "' must be float32, got " + a.getDataType());
                        }
                        ParamSlot slot = slotOf(byName, param, a.getShape());
                        if (!slot.shape().equals(a.getShape())) {
                            throw new IllegalArgumentException("'" + full + "' has shape " + a.getShape() + " but '" + param
                                    + "' has other buffers of shape " + slot.shape());
                        }
                        ByteBuffer bytes = a.toByteBuffer().order(ByteOrder.nativeOrder());
                        slot.buffer(buffer).copyFrom(MemorySegment.ofBuffer(bytes));
                    }
                }
            } catch (RuntimeException e) {
                byName.values().forEach(ParamSlot::close);
                throw e;
            }
        }
        byName.values().removeIf(slot -> {
            if (!slot.buffers().isEmpty()) return false;
            slot.close();
            return true;
        });
        return byName;
    }

    private static ParamSlot slotOf(Map<String, ParamSlot> byName, String param, Shape shape) {
        ParamSlot slot = byName.get(param);
        if (slot == null) {
            if (shape == null) shape = new Shape(0);  // step before buffers: the shape comes with them
            slot = new ParamSlot(shape);
            byName.put(param, slot);
        } else if (shape != null && slot.buffers().isEmpty() && !slot.shape().equals(shape)) {
            ParamSlot sized = new ParamSlot(shape);
            sized.step = slot.step;
            slot.close();
            byName.put(param, sized);
            slot = sized;
        }
        return slot;
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }
}
