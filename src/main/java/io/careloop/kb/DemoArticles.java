package io.careloop.kb;

import io.vertx.core.Future;

import java.util.List;

/**
 * A few published articles answering what the demo stream asks, so a newcomer sees suggestions and tracked links at
 * once. Created only in demo mode, and only into an empty knowledge base.
 */
public final class DemoArticles {
  private DemoArticles() {}

  private static final List<KbService.Draft> ARTICLES = List.of(
    new KbService.Draft("Reset your password", "How do I reset my password if the email never arrives?",
      List.of("Open the sign-in page and choose Forgot password.", "Enter your email; the reset email arrives within minutes.", "Check spam if it does not arrive."),
      "account", List.of("password", "login"), "published"),
    new KbService.Draft("Export invoices as CSV", "Is there a way to export all my invoices as CSV?",
      List.of("Go to Billing > Invoices.", "Choose Export and pick CSV or PDF."), "billing", List.of("invoice", "export"), "published"),
    new KbService.Draft("Invite a teammate to your workspace", "How can I add a teammate to my workspace?",
      List.of("Open Settings > Members.", "Choose Invite and enter their email address."), "workspace", List.of("team", "members"), "published"),
    new KbService.Draft("Set up single sign-on with Okta or Azure AD", "How do I set up SSO with Okta?",
      List.of("Open Security > Single sign-on.", "Upload your identity provider's SAML metadata.", "Test with one user before enforcing."),
      "security", List.of("sso", "okta", "azure"), "published"),
    new KbService.Draft("Find or rotate your API key", "Where do I find my API key?",
      List.of("Open Settings > Developers.", "Copy the key, or rotate it if it leaked."), "developers", List.of("api", "key"), "published"),
    new KbService.Draft("Daily backups and restoring files", "Does the free plan include daily backups?",
      List.of("Every plan keeps daily backups for 30 days.", "Open Backups, pick the date and choose Restore."), "backups", List.of("backup", "restore"), "published"),
    new KbService.Draft("Change where your data is stored", "Can I change the region of my storage bucket?",
      List.of("Open the bucket settings.", "Choose Region and start a migration; files stay available."), "storage", List.of("region"), "published"));

  public static Future<Void> seedIfEmpty(KbService kb) {
    return kb.list(null).compose(existing -> {
      if (!existing.isEmpty()) return Future.succeededFuture();
      Future<Void> chain = Future.succeededFuture();
      for (KbService.Draft d : ARTICLES) chain = chain.compose(v -> kb.create(d, "careloop-demo", true).mapEmpty());
      return chain;
    });
  }
}
