package io.careloop.reply;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("The closed template language of canned responses and the proactive tweet")
public class ClosedTemplateTest {
  static final Set<String> CANNED = CannedResponses.VARIABLES;
  static final Map<String, String> VALUES = Map.of("customer.handle", "@pia", "customer.name", "Pia", "agent.name", "ben",
    "kb.url", "https://acme.example/l/abc");

  /**
   * The pen test's template: inline partials, each including the one below ten times (a million x's from 535
   * characters; Handlebars ran it for 20 s on the event loop).
   */
  public static String inlinePartialBomb() {
    StringBuilder t = new StringBuilder("{{#*inline \"a\"}}x{{/inline}}");
    for (char level = 'b'; level <= 'f'; level++) {
      t.append("{{#*inline \"").append(level).append("\"}}");
      for (int i = 0; i < 10; i++) t.append("{{> ").append((char) (level - 1)).append("}}");
      t.append("{{/inline}}");
    }
    t.append("{{> f}}");
    while (t.length() < 535) t.append(' ');
    return t.toString();
  }

  @Test
  @DisplayName("the four documented variables are filled in, with or without spaces inside the braces, around plain text")
  void documentedVariables() {
    String out = ClosedTemplate.parse("Hi {{customer.handle}} ({{ customer.name }}), {{agent.name\t}} here: {{kb.url}} {single} }", CANNED).render(VALUES);
    assertEquals("Hi @pia (Pia), ben here: https://acme.example/l/abc {single} }", out);
    assertEquals(Set.of("customer.handle", "customer.name", "agent.name", "kb.url"),
      ClosedTemplate.parse("{{customer.handle}}{{customer.name}}{{agent.name}}{{kb.url}}", CANNED).variables());
    assertEquals("just text", ClosedTemplate.parse("just text", CANNED).render(VALUES));
  }

  @Test
  @DisplayName("the 535-character nested inline-partial bomb is refused when read, naming its first token")
  void inlinePartialBombRefused() {
    String bomb = inlinePartialBomb();
    assertEquals(535, bomb.length());
    var refused = assertThrows(ClosedTemplate.Refused.class, () -> ClosedTemplate.parse(bomb, CANNED));
    assertEquals("{{#*inline \"a\"}}", refused.token());
    assertTrue(refused.getMessage().contains("{{#*inline \"a\"}}"), refused.getMessage());
    assertTrue(refused.getMessage().contains("{{customer.handle}}"), "says what is allowed: " + refused.getMessage());
  }

  @ParameterizedTest(name = "{0} is refused as {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
    "Hi {{> header}} there                | {{> header}}              | a partial",
    "{{#each customer}}x{{/each}}         | {{#each customer}}        | a block",
    "{{#if customer.name}}Hi{{/if}}       | {{#if customer.name}}     | a block",
    "{{^customer.name}}anon{{/customer.name}} | {{^customer.name}}    | a block",
    "Hi {{else}}                          | {{else}}                  | a block",
    "Hi {{/inline}}                       | {{/inline}}               | a block",
    "{{{customer.name}}} hi               | {{{customer.name}}}       | unescaped output",
    "{{&customer.name}} hi                | {{&customer.name}}        | unescaped output",
    "{{! a note}}hi                       | {{! a note}}              | a comment",
    "{{i18n 'greeting'}}                  | {{i18n 'greeting'}}       | a helper call",
    "{{lookup customer 'name'}}           | {{lookup customer 'name'}} | a helper call",
    "Hi {{customer.email}}                | {{customer.email}}        | an unknown variable",
    "Hi {{customer}}                      | {{customer}}              | an unknown variable",
    "Hi {{this}}                          | {{this}}                  | an unknown variable",
    "Hi {{}}                              | {{}}                      | an empty variable",
    "Hi {{customer.name                   | {{customer.name           | an opening {{ that is never closed",
    "Hi customer.name}} there             | }}                        | a closing }} without its {{",
    "Hi {{ {{agent.name}}                 | {{ {{                     | an opening {{ inside another",
  })
  @DisplayName("every other template construct is refused, naming the token and what it is")
  void everythingElseRefused(String template, String token, String what) {
    var refused = assertThrows(ClosedTemplate.Refused.class, () -> ClosedTemplate.parse(template, CANNED));
    assertEquals(token, refused.token());
    assertTrue(refused.getMessage().startsWith(token + " is not allowed (" + what + ")"), refused.getMessage());
  }

  @Test
  @DisplayName("a line break inside the braces is not a variable")
  void lineBreakInsideBraces() {
    assertThrows(ClosedTemplate.Refused.class, () -> ClosedTemplate.parse("Hi {{\nagent.name}}", CANNED));
  }

  @Test
  @DisplayName("values are inserted as text and never read again: a customer name holding {{agent.name}} stays literal")
  void valuesAreText() {
    String out = ClosedTemplate.parse("Hi {{customer.name}}, {{agent.name}} here.", CANNED)
      .render(Map.of("customer.name", "Pia {{agent.name}} {{> a}} {{#each x}}", "agent.name", "ben"));
    assertEquals("Hi Pia {{agent.name}} {{> a}} {{#each x}}, ben here.", out);
    assertEquals("Hi , ben", ClosedTemplate.parse("Hi {{customer.name}}, {{agent.name}}", CANNED).render(Map.of("agent.name", "ben")),
      "a missing value is empty");
  }

  @Test
  @DisplayName("templates over 1,000 characters are refused; values are cut at 200 characters and the output at 2,000")
  void bounded() {
    var tooLong = assertThrows(ClosedTemplate.Refused.class, () -> ClosedTemplate.parse("x".repeat(1001), CANNED));
    assertTrue(tooLong.getMessage().contains("1001") && tooLong.getMessage().contains("1000"), tooLong.getMessage());
    assertEquals(1000, ClosedTemplate.parse("x".repeat(1000), CANNED).render(VALUES).length());

    String most = "{{customer.name}}".repeat(ClosedTemplate.MAX_SOURCE / "{{customer.name}}".length());
    String huge = "N".repeat(1_000_000);
    String out = ClosedTemplate.parse(most, CANNED).render(Map.of("customer.name", huge));
    assertEquals(ClosedTemplate.MAX_OUTPUT, out.length(), "capped");
    assertEquals(ClosedTemplate.MAX_VALUE, ClosedTemplate.parse("{{customer.name}}", CANNED).render(Map.of("customer.name", huge)).length());
    String emoji = "a" + "\uD83D\uDE00".repeat(150);
    String cut = ClosedTemplate.parse("{{customer.name}}", CANNED).render(Map.of("customer.name", emoji));
    assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 1)), "never half an emoji");
  }

  @Test
  @DisplayName("the language is parameterised: the proactive tweet's {{question}} and {{link}} are its only variables")
  void otherVariables() {
    Set<String> tweet = Set.of("question", "link");
    assertEquals("Wondering how? See x.co/1", ClosedTemplate.parse("Wondering {{question}} See {{ link }}", tweet)
      .render(Map.of("question", "how?", "link", "x.co/1")));
    var refused = assertThrows(ClosedTemplate.Refused.class, () -> ClosedTemplate.parse("{{agent.name}}", tweet));
    assertTrue(refused.getMessage().contains("{{link}}, {{question}}"), refused.getMessage());
  }
}
