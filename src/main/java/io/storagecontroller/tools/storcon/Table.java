package io.storagecontroller.tools.storcon;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table drawn as Neon's storcon_cli draws its tables: comfy_table's default ({@code
 * Table::new()}: the {@code ASCII_FULL} preset, content arrangement disabled, one space of padding
 * each side), so that output, and the line counts Neon's {@code test_storcon_cli} asserts, are the
 * same:
 *
 * <pre>
 * +----+-----------+
 * | Id | Hostname  |
 * +================+
 * | 1  | localhost |
 * |----+-----------|
 * | 22 | h         |
 * +----+-----------+
 * </pre>
 *
 * A column is as wide as its widest line (at least 1), nothing is wrapped; a cell with newlines
 * spans that many lines. A table without a header (Neon's key-value tables) has no {@code +===+}
 * line.
 */
public final class Table {
  private final List<String> header;
  private final int columns;
  private final List<List<String>> rows = new ArrayList<>();

  /** A table with this header row, written as it should print. */
  public Table(String... header) {
    this(List.of(header), header.length);
  }

  private Table(List<String> header, int columns) {
    this.header = header;
    this.columns = columns;
  }

  /** A table without a header row, as Neon's tenant-describe prints Policy, Stripe size, Config. */
  public static Table withoutHeader(int columns) {
    return new Table(null, columns);
  }

  public Table row(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells in a table of " + columns + " columns");
    }
    rows.add(Arrays.stream(cells).map(c -> c == null ? "" : String.valueOf(c)).toList());
    return this;
  }

  public int size() {
    return rows.size();
  }

  public void print(PrintWriter out) {
    lines().forEach(out::println);
    out.flush();
  }

  /** The drawn lines, top border to bottom border. */
  public List<String> lines() {
    List<List<String>> all = new ArrayList<>();
    if (header != null) {
      all.add(header);
    }
    all.addAll(rows);
    // comfy_table measures display width; code points are that for what storcon prints.
    int[] widths = new int[columns];
    Arrays.fill(widths, 1);
    for (List<String> row : all) {
      for (int i = 0; i < columns; i++) {
        for (String line : row.get(i).split("\n", -1)) {
          widths[i] = Math.max(widths[i], line.codePointCount(0, line.length()));
        }
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(rule(widths, '+', '-', '+'));
    for (int r = 0; r < all.size(); r++) {
      lines.addAll(cellLines(all.get(r), widths));
      if (r == 0 && header != null) {
        lines.add(rule(widths, '+', '=', '='));
      } else if (r < all.size() - 1) {
        lines.add(rule(widths, '|', '-', '+'));
      }
    }
    lines.add(rule(widths, '+', '-', '+'));
    return lines;
  }

  /** A row's lines: as many as its tallest cell, the others padded with blank lines. */
  private static List<String> cellLines(List<String> row, int[] widths) {
    List<String[]> cells = row.stream().map(c -> c.split("\n", -1)).toList();
    int height = cells.stream().mapToInt(c -> c.length).max().orElse(1);
    List<String> lines = new ArrayList<>();
    for (int l = 0; l < height; l++) {
      StringBuilder line = new StringBuilder("|");
      for (int i = 0; i < widths.length; i++) {
        String text = l < cells.get(i).length ? cells.get(i)[l] : "";
        int pad = widths[i] - text.codePointCount(0, text.length());
        line.append(' ').append(text).append(" ".repeat(pad)).append(" |");
      }
      lines.add(line.toString());
    }
    return lines;
  }

  /** A horizontal line: {@code edge} at both ends, {@code cross} between columns. */
  private static String rule(int[] widths, char edge, char fill, char cross) {
    List<String> parts = new ArrayList<>();
    for (int width : widths) {
      parts.add(String.valueOf(fill).repeat(width + 2));
    }
    return edge + String.join(String.valueOf(cross), parts) + edge;
  }
}
