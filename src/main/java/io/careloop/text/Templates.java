package io.careloop.text;

import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.io.ClassPathTemplateLoader;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Handlebars engines over {@code src/main/resources/templates}, one per family: server pages (HTML-escaped) and
 * plain text (drafts, which the page escapes when it shows them). Built once; templates compile at start, so a broken
 * one stops the start rather than a request.
 */
public final class Templates {
  private static final Handlebars PAGES = new Handlebars(new ClassPathTemplateLoader("/templates", ".hbs"));
  private static final Handlebars PLAIN_TEXT = new Handlebars(new ClassPathTemplateLoader("/templates", ".hbs")).with(EscapingStrategy.NOOP);

  private Templates() {}

  /** Server pages: every {@code {{value}}} is HTML-escaped. */
  public static Handlebars pages() {
    return PAGES;
  }

  /** Plain text: nothing is escaped (the text is escaped where it is shown). */
  public static Handlebars plainText() {
    return PLAIN_TEXT;
  }

  /** The template {@code name} (under templates/, without .hbs) of the engine. */
  public static Template compile(Handlebars engine, String name) {
    try {
      return engine.compile(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
