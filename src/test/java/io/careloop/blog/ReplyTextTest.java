package io.careloop.blog;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("A reply made fit for a post loses its greeting, handles, links and sign-off as whole phrases")
class ReplyTextTest {

  @ParameterizedTest(name = "[{index}] \"{0}\" becomes \"{1}\"")
  @DisplayName("Greetings, handles, links and signatures go; what the agent said stays")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "Hi @sam, this should help: https://x.co/abc ^JD | This should help:",
    "Hey @sam! Go to Settings > Security. | Go to Settings > Security.",
    "Hi , this should help | This should help",
    "Hello there, open Settings and choose Reset. - Anna | Open Settings and choose Reset.",
    "Hi Sam, open Settings. /AB | Open Settings.",
    "Dear Ann Lee: we have reset it for you. Thanks, Sam from Acme | We have reset it for you.",
    "@sam @tom Hi! Try again in five minutes – https://acme.co/status | Try again in five minutes",
    "Open Settings - Security | Open Settings - Security",
    "Hi, Please DM us your order number | Please DM us your order number",
    "Hiking boots are in the sale | Hiking boots are in the sale",
    "Thanks for your patience, it is fixed now! | Thanks for your patience, it is fixed now!",
    "Sorry about that @sam. It works again (see https://x.co/abc) ^JD | Sorry about that. It works again",
    "Cheers, Anna | ``",
    "Hey ! | ``",
    "🙏👍 | ``",
    "`` | ``",
    "Hi @sam {{7*7}} is literal here | {{7*7}} is literal here",
    "Hi @sam, <script>alert(1)</script> try again | Try again",
    "<img src=x onerror=alert(1)>Open Settings | Open Settings",
    "Hi @sam, reset it \u202Eereh\u202C now | Reset it ereh now",
    "Try the reset link again, it works now 👍 - JD | Try the reset link again, it works now 👍",
  })
  void cleans(String reply, String expected) {
    assertEquals(expected, ReplyText.clean(reply));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" becomes \"{1}\"")
  @DisplayName("A customer's name after the greeting goes with it, even without a comma")
  @CsvSource(delimiter = '|', value = {
    "Hi Sam this should help | This should help",
    "Hey sam_storm try this | Try this",
    "Hi Sam Rowe thanks for asking | Thanks for asking",
  })
  void knownNames(String reply, String expected) {
    assertEquals(expected, ReplyText.clean(reply, List.of("Sam Rowe", "sam_storm")));
  }
}
