package io.careloop.queue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Priority rules")
class PriorityRulesTest {
  private final PriorityRules rules = new PriorityRules();

  @ParameterizedTest(name = "\"{0}\" from {1} followers is {2}")
  @CsvSource(delimiter = '|', value = {
    "@AcmeCloud I think my account was hacked        | 100     | urgent",
    "@AcmeCloud your dashboard is down again          | 100     | high",
    "@AcmeCloud I was charged twice, need a refund    | 100     | high",
    "@AcmeCloud how do I export invoices?             | 100     | normal",
    "@AcmeCloud can I change my region               | 100     | normal",
    "Loving @AcmeCloud's new backups                 | 100     | low",
    "@AcmeCloud lol                                  | 100     | low",
    "@AcmeCloud how do I export invoices?             | 50000   | high",
    "@AcmeCloud your dashboard is down again          | 50000   | urgent",
    "@AcmeCloud lol                                  | 10000   | normal",
    "@AcmeCloud lol                                  | 9999    | low",
    "@AcmeCloud how do I download my invoices?        | 100     | normal",
    "@AcmeCloud <img src=x onerror=alert(1)> why?     | 100     | normal",
    "@AcmeCloud backups failing since 9am             | 100     | high",
    "@AcmeCloud I was hacked                          | 100     | urgent",
    "@AcmeCloud my shackles are comfy                 | 100     | low",
  })
  void classifies(String text, long followers, Priority expected) {
    assertEquals(expected, rules.classify(text.trim(), followers));
  }

  @Test
  @DisplayName("the @handles a reply starts with do not make it look like a question")
  void leadingHandlesIgnored() {
    assertEquals(Priority.low, rules.classify("@AcmeCloud @can thanks all", 10));
    assertEquals(Priority.normal, rules.classify("@AcmeCloud @dana is this fixed", 10));
  }

  @Test
  @DisplayName("curly apostrophes count like straight ones")
  void curlyApostrophe() {
    assertEquals(Priority.high, rules.classify("@AcmeCloud it doesn\u2019t work", 10));
  }
}
