package dev.panoptim.cli;

import java.io.PrintWriter;
import java.util.List;

/** Prints rows as aligned columns (two spaces apart); {@code rightAligned} columns (by index) are numbers. */
final class Table {
    private Table() {}

    static void print(PrintWriter out, List<String[]> rows, int... rightAligned) {
        int columns = rows.getFirst().length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) width[c] = Math.max(width[c], r[c].length());
        }
        for (String[] r : rows) {
            StringBuilder s = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                boolean right = false;
                for (int a : rightAligned) right |= a == c;
                String cell = r[c];
                String pad = " ".repeat(width[c] - cell.length());
                if (c == columns - 1 && !right) {
                    s.append(cell);
                } else {
                    s.append(right ? pad + cell : cell + pad);
                }
                if (c < columns - 1) s.append("  ");
            }
            out.println(s.toString().stripTrailing());
        }
    }
}
