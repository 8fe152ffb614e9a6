package io.careloop.queue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("Obvious spam rules")
class SpamRulesTest {
  final SpamRules rules = new SpamRules();

  @ParameterizedTest
  @ValueSource(strings = {
    "@AcmeCloud buy followers cheap at example.biz",
    "@AcmeCloud Get REAL followers now",
    "@AcmeCloud BTC giveaway! send 1 get 2 back",
    "@AcmeCloud DM me for promo",
    "@AcmeCloud http://a.example http://b.example http://c.example",
  })
  @DisplayName("dismisses obvious spam")
  void spam(String text) {
    assertTrue(rules.reason(text).isPresent(), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "@AcmeCloud how do I get more storage?",
    "@AcmeCloud my followers can't see my shared folder",
    "@AcmeCloud is crypto payment supported?",
    "@AcmeCloud see https://a.example and https://b.example, both fail",
    "@AcmeCloud free plan limits?",
  })
  @DisplayName("leaves customers alone, even when they mention followers, crypto or links")
  void notSpam(String text) {
    assertTrue(rules.reason(text).isEmpty(), text);
  }
}
