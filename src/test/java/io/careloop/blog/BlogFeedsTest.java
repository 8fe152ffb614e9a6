package io.careloop.blog;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.io.SyndFeedInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("BlogFeeds writes feeds every reader can parse, whatever the posts hold")
class BlogFeedsTest {
  static final String PUBLIC = "https://help.example.com";

  static JsonObject post(String slug, String title, String body) {
    JsonObject date = new JsonObject().put("$date", "2026-11-01T10:00:00Z");
    return new JsonObject().put("_id", "p-" + slug).put("slug", slug).put("title", title).put("body", body)
      .put("tags", new JsonArray().add("account")).put("publishedAt", date).put("updatedAt", date);
  }

  static SyndEntry only(String format, JsonObject post) throws Exception {
    String xml = BlogFeeds.write(format, List.of(post), PUBLIC, "Acme Cloud");
    List<SyndEntry> entries = new SyndFeedInput().build(new StringReader(xml)).getEntries();
    assertEquals(1, entries.size());
    return entries.get(0);
  }

  @Test
  @DisplayName("a control character and a lone surrogate in a title or body are left out of both feeds instead of failing them")
  void forbiddenCharacters() throws Exception {
    JsonObject p = post("rotate-key", "Rotate\u0001 your key\uD800", "It says \u0001expired\uDC00.\u0000\n\nThen \uD83D\uDE00 works.");
    for (String format : List.of("atom", "rss")) {
      SyndEntry e = only(format, p);
      assertEquals("Rotate your key", e.getTitle(), format);
      assertTrue(e.getDescription().getValue().contains("It says expired."), format + ": " + e.getDescription().getValue());
      assertTrue(e.getDescription().getValue().contains("\uD83D\uDE00"), format + ": an emoji (a surrogate pair) stays");
      assertFalse(e.getDescription().getValue().matches("(?s).*[\\x00-\\x08\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF]).*"), format);
    }
  }

  @Test
  @DisplayName("an RSS title and body are HTML-escaped inside the element, in paragraphs; Atom keeps the text as it is, typed text")
  void rssEscapesMarkup() throws Exception {
    JsonObject p = post("markup", "Tom & Jerry's <b>bold</b> question", "Customers ask: <script>alert(1)</script>\n\nHere is how:\n1. Open <img src=x onerror=alert(2)>.");
    SyndEntry rss = only("rss", p);
    assertEquals("Tom &amp; Jerry's &lt;b&gt;bold&lt;/b&gt; question", rss.getTitle());
    assertEquals("<p>Customers ask: &lt;script&gt;alert(1)&lt;/script&gt;</p><p>Here is how:<br>1. Open &lt;img src=x onerror=alert(2)&gt;.</p>",
      rss.getDescription().getValue());
    SyndEntry atom = only("atom", p);
    assertEquals("Tom & Jerry's <b>bold</b> question", atom.getTitle());
    assertEquals("text", atom.getDescription().getType());
    assertEquals(p.getString("body"), atom.getDescription().getValue());
  }
}
