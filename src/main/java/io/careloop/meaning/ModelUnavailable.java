package io.careloop.meaning;

/**
 * The sentence model could not be loaded here (a platform whose natives the jar does not carry, or a broken
 * install). CareLoop runs on: everything that reads meaning falls back to words.
 */
public final class ModelUnavailable extends RuntimeException {
  public ModelUnavailable(Throwable cause) {
    super("the sentence model cannot run on this machine (" + System.getProperty("os.name") + " " + System.getProperty("os.arch")
      + "): " + cause, cause);
  }
}
