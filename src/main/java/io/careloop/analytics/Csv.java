package io.careloop.analytics;

import java.util.List;

/**
 * RFC 4180 CSV (CRLF line ends, fields with comma, quote or line break quoted, quotes doubled), safe to open in a
 * spreadsheet: a cell that starts with {@code = + - @}, a tab or a carriage return is prefixed with an apostrophe, so
 * text a customer wrote is never run as a formula. Plain Java.
 */
public final class Csv {
  private Csv() {}

  public static String row(List<?> cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) b.append(',');
      b.append(cell(cells.get(i)));
    }
    return b.append("\r\n").toString();
  }

  static String cell(Object value) {
    if (value == null) return "";
    String s = value instanceof Number ? value.toString() : neutralise(value.toString());
    boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  static String neutralise(String s) {
    if (s.isEmpty()) return s;
    char c = s.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + s : s;
  }
}
