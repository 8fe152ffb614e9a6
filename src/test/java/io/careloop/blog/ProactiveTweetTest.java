package io.careloop.blog;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("The proactive tweet template from the configuration")
class ProactiveTweetTest {
  @Test
  @DisplayName("the default template of conf/careloop.json composes the tweet from the post's title and link")
  void defaultTemplate() {
    var tweet = new ProactiveTweet("Wondering {{question}} So was one of our customers: {{link}}");
    assertEquals("Wondering how to reset your password? So was one of our customers: https://x.example/l/1",
      tweet.compose("How do I reset my password?", "https://x.example/l/1"));
    assertEquals("Wondering about \u201C{{link}} {{#each x}}\u201D? So was one of our customers: L",
      tweet.compose("{{link}} {{#each x}}", "L"), "a title is text, never template");
  }

  @Test
  @DisplayName("a template with blocks, partials or unknown variables is refused, naming the token")
  void badTemplateRefused() {
    for (String[] bad : new String[][] {
      {"{{#each question}}{{this}}{{/each}} {{link}}", "{{#each question}}"},
      {"{{#*inline \"a\"}}x{{/inline}}{{> a}} {{link}}", "{{#*inline \"a\"}}"},
      {"Wondering {{title}} {{link}}", "{{title}}"},
      {"Wondering {{question}} {{{link}}}", "{{{link}}}"}}) {
      var refused = assertThrows(IllegalArgumentException.class, () -> new ProactiveTweet(bad[0]), bad[0]);
      assertTrue(refused.getMessage().contains(bad[1]), refused.getMessage());
    }
  }

  @Test
  @DisplayName("a tweet text typed at publish is sent as text: only {{link}} is replaced, nothing is compiled")
  void typedTextIsNotATemplate() {
    assertEquals("{{#*inline \"a\"}}x{{/inline}}{{> a}} {{question}} L", BlogService.withLink("{{#*inline \"a\"}}x{{/inline}}{{> a}} {{question}} {{link}}", "L"));
    assertEquals("No link here {{> a}} L", BlogService.withLink("No link here {{> a}}", "L"));
  }
}
