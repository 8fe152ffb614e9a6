package io.careloop.web;

import com.github.jknack.handlebars.Template;
import io.careloop.text.XmlText;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * How public pages, feeds, JSON and CSV answers are written once their data is there. The writing (a Handlebars
 * render, Rome's XML output, a CSV row) runs inside {@code map}, so whatever it throws fails the Future and reaches
 * {@code ctx.fail}, and so {@link Failures}: a 500 with JSON, logged with its cause. Thrown from {@code onSuccess}
 * instead, Vert.x only logs it as unhandled and the request is never answered (one control character in a tweet hung
 * both feeds that way).
 */
final class Answer {
  private Answer() {}

  /** Runs {@code write} with the value of {@code work}; a failure of either, thrown or not, fails the request. */
  static <T> void after(RoutingContext ctx, Future<T> work, Consumer<T> write) {
    work.map(value -> {
      write.accept(value);
      return null;
    }).onFailure(ctx::fail);
  }

  /** The rendered page, without characters XML 1.0 forbids (see {@link XmlText}); a failure throws. */
  static String render(Template template, Object model) {
    try {
      return XmlText.clean(template.apply(model));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
