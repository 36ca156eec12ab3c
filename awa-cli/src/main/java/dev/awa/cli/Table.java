package dev.awa.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact aligned text table: a header row, two spaces between columns, numbers right-aligned, no
 * borders and no trailing spaces, so output stays readable in a terminal and greppable in a pipe.
 * Null cells print as {@code -}.
 */
final class Table {
  private static final String GAP = "  ";
  private final String[] headers;
  private final boolean[] rightAligned;
  private final List<String[]> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = headers.clone();
    this.rightAligned = new boolean[headers.length];
  }

  /** Right-aligns the given columns (0-based); use it for counts and durations. */
  Table rightAlign(int... columns) {
    for (int c : columns) {
      rightAligned[c] = true;
    }
    return this;
  }

  /** Adds a row; it must have one cell per header. */
  Table row(Object... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, table has " + headers.length + " columns");
    }
    String[] text = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      text[i] = cells[i] == null ? "-" : cells[i].toString();
    }
    rows.add(text);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int[] widths = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      widths[i] = headers[i].length();
    }
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    printRow(out, headers, widths);
    for (String[] row : rows) {
      printRow(out, row, widths);
    }
  }

  private void printRow(PrintWriter out, String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        line.append(GAP);
      }
      int pad = widths[i] - cells[i].length();
      if (rightAligned[i]) {
        line.append(" ".repeat(pad)).append(cells[i]);
      } else {
        line.append(cells[i]);
        if (i < cells.length - 1) {
          line.append(" ".repeat(pad));
        }
      }
    }
    out.println(line.toString().stripTrailing());
  }
}
