package io.careloop.blog;

import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndContentImpl;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndEntryImpl;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.feed.synd.SyndLink;
import com.rometools.rome.feed.synd.SyndLinkImpl;
import com.rometools.rome.feed.synd.SyndCategory;
import com.rometools.rome.feed.synd.SyndCategoryImpl;
import com.rometools.rome.feed.rss.Channel;
import com.rometools.rome.feed.rss.Guid;
import com.rometools.rome.feed.rss.Item;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.WireFeedOutput;
import com.rometools.rome.io.SyndFeedOutput;
import io.careloop.store.Dates;
import io.careloop.text.XmlText;
import io.vertx.core.json.JsonObject;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.Namespace;
import org.jdom2.output.Format;
import org.jdom2.output.XMLOutputter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Atom 1.0 and RSS 2.0 feeds of the published posts, written by Rome. Every link is absolute, from the public URL;
 * entries carry the post's publication and last-update dates. Plain Java.
 */
public final class BlogFeeds {
  public static final int ENTRIES = 20;
  private static final Namespace ATOM = Namespace.getNamespace("atom", "http://www.w3.org/2005/Atom");

  private BlogFeeds() {}

  /** {@code format} is "atom" or "rss". Posts are the published ones, newest first. */
  public static String write(String format, List<JsonObject> posts, String publicUrl, String brand) {
    boolean rss = !"atom".equals(format);
    SyndFeed feed = new SyndFeedImpl();
    feed.setFeedType(rss ? "rss_2.0" : "atom_1.0");
    // Every text goes through XmlText: Rome refuses a character XML forbids by throwing for the whole feed.
    feed.setTitle(text(brand + " support blog", rss));
    feed.setDescription(text("Answers to the questions " + brand + " customers ask most", rss));
    feed.setLink(XmlText.clean(publicUrl + "/blog/"));
    feed.setUri(XmlText.clean(publicUrl + "/blog/"));
    feed.setLanguage("en");
    SyndLink self = new SyndLinkImpl();
    self.setRel("self");
    self.setHref(XmlText.clean(publicUrl + "/blog/feed." + format));
    self.setType("atom".equals(format) ? "application/atom+xml" : "application/rss+xml");
    SyndLink alternate = new SyndLinkImpl();
    alternate.setRel("alternate");
    alternate.setHref(XmlText.clean(publicUrl + "/blog/"));
    alternate.setType("text/html");
    feed.setLinks(List.of(alternate, self));
    feed.setPublishedDate(Date.from(lastUpdated(posts)));
    List<SyndEntry> entries = new ArrayList<>();
    for (JsonObject p : posts.subList(0, Math.min(ENTRIES, posts.size()))) {
      String url = XmlText.clean(publicUrl + "/blog/" + p.getString("slug"));
      SyndEntry e = new SyndEntryImpl();
      e.setTitle(text(p.getString("title"), rss));
      e.setLink(url);
      e.setUri(url);
      e.setAuthor(XmlText.clean(brand));
      e.setPublishedDate(Date.from(Dates.instant(p.getValue("publishedAt"))));
      e.setUpdatedDate(Date.from(Dates.instant(p.getValue("updatedAt"))));
      SyndContent summary = new SyndContentImpl();
      summary.setType(rss ? "text/html" : "text/plain");
      summary.setValue(rss ? rssBody(p.getString("body")) : XmlText.clean(p.getString("body")));
      e.setDescription(summary);
      List<SyndCategory> categories = new ArrayList<>();
      p.getJsonArray("tags").forEach(t -> {
        SyndCategory c = new SyndCategoryImpl();
        c.setName(XmlText.clean(String.valueOf(t)));
        categories.add(c);
      });
      e.setCategories(categories);
      entries.add(e);
    }
    feed.setEntries(entries);
    try {
      return rss ? rss(feed, self.getHref()) : new SyndFeedOutput().outputString(feed, true);
    } catch (FeedException e) {
      throw new IllegalStateException("feed could not be written", e);
    }
  }

  /**
   * RSS 2.0 as the RSS Advisory Board's best practices have it, which Rome's conversion from the synd model leaves
   * out: the channel's own address as {@code <atom:link rel="self">} (the Atom namespace declared on the root), and
   * each item's guid its permalink, said explicitly (Rome writes the entry's URI with isPermaLink="false", though
   * it is the post's address).
   */
  private static String rss(SyndFeed feed, String selfHref) throws FeedException {
    Channel channel = (Channel) feed.createWireFeed();
    for (Item item : channel.getItems()) {
      Guid guid = new Guid();
      guid.setPermaLink(true);
      guid.setValue(item.getLink());
      item.setGuid(guid);
    }
    Document xml = new WireFeedOutput().outputJDom(channel);
    Element root = xml.getRootElement();
    root.addNamespaceDeclaration(ATOM);
    Element eChannel = root.getChild("channel");
    Element self = new Element("link", ATOM).setAttribute("href", selfHref).setAttribute("rel", "self")
      .setAttribute("type", "application/rss+xml");
    // First in the channel, where validators and readers look for it.
    eChannel.addContent(0, self);
    for (Element item : eChannel.getChildren("item")) {
      Element guid = item.getChild("guid");
      if (guid != null) guid.setAttribute("isPermaLink", "true");
    }
    return new XMLOutputter(Format.getPrettyFormat()).outputString(xml);
  }

  /**
   * Text for a title or description. Atom says type="text" and readers show it as text. RSS has no such type:
   * readers decode the element and render it as HTML, titles included in many of them, so a quoted
   * {@code <script>} escaped once as XML became live markup. In RSS, text is HTML-escaped before Rome escapes it as
   * XML. Only {@code & < >}: enough for HTML to read it as text, and an apostrophe stays readable in the few readers
   * that show a title without decoding it.
   */
  static String text(String value, boolean rss) {
    String clean = XmlText.clean(value);
    return rss && clean != null ? escapeHtml(clean) : clean;
  }

  /** The body as HTML for an RSS reader: escaped text, a paragraph per blank-line block, line breaks kept. */
  static String rssBody(String body) {
    StringBuilder html = new StringBuilder();
    for (String paragraph : XmlText.clean(body == null ? "" : body).split("\\n\\s*\\n")) {
      if (paragraph.isBlank()) continue;
      html.append("<p>").append(escapeHtml(paragraph.trim()).replaceAll("\\r?\\n", "<br>")).append("</p>");
    }
    return html.toString();
  }

  private static String escapeHtml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** The newest update among the posts (the feed's own updated date and Last-Modified). */
  public static Instant lastUpdated(List<JsonObject> posts) {
    return posts.stream().map(p -> Dates.instant(p.getValue("updatedAt"))).max(Instant::compareTo).orElse(Instant.EPOCH);
  }
}
