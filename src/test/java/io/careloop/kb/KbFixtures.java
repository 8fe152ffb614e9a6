package io.careloop.kb;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Ten articles of a cloud-storage brand and how customers actually ask for them. */
final class KbFixtures {
  private KbFixtures() {}

  static Article article(String id, String title, String question, String product, List<String> tags, String... steps) {
    return new Article(id, id, title, question, List.of(steps), product, tags, "published", "cole", Instant.EPOCH, 1);
  }

  static final List<Article> ARTICLES = List.of(
    article("reset-password", "Reset your password", "How do I reset my password if I forgot it?", "account", List.of("password", "login"),
      "Open the sign-in page and choose Forgot password.", "Enter your email; the reset email arrives within minutes.", "Check spam if the email does not arrive."),
    article("export-invoices", "Export invoices as CSV", "How can I download all my invoices?", "billing", List.of("invoice", "export"),
      "Go to Billing > Invoices.", "Choose Export and pick CSV or PDF."),
    article("invite-teammate", "Invite a teammate to your workspace", "How do I add a team member?", "workspace", List.of("team", "members"),
      "Open Settings > Members.", "Choose Invite and enter their email address.", "They join once they accept."),
    article("restore-backup", "Restore a file from a daily backup", "How do I get back a deleted file from backup?", "backups", List.of("backup", "restore"),
      "Open Backups and pick the date.", "Select the files and choose Restore."),
    article("compare-plans", "Pro and Team plans compared", "What is the difference between the Pro and Team plans?", "pricing", List.of("pricing", "upgrade"),
      "Pro is for one person with 2 TB.", "Team adds shared folders, audit logs and admin roles."),
    article("change-region", "Change where your data is stored", "Can I move my storage bucket to another region?", "storage", List.of("region", "location"),
      "Open the bucket settings.", "Choose Region and start a migration; files stay available."),
    article("setup-sso", "Set up single sign-on with Okta or Azure AD", "How do I set up SSO?", "security", List.of("sso", "saml", "okta", "azure"),
      "Open Security > Single sign-on.", "Upload your identity provider's SAML metadata.", "Test with one user before enforcing."),
    article("api-key", "Find or rotate your API key", "Where is my API key?", "developers", List.of("api", "key", "token"),
      "Open Settings > Developers.", "Copy the key or rotate it; old keys stop working after a day."),
    article("two-factor", "Turn on two-factor authentication", "How do I enable 2FA on my account?", "security", List.of("2fa", "authentication", "security"),
      "Open Security > Two-factor authentication.", "Scan the code with an authenticator app and enter the 6-digit code."),
    article("cancel-refund", "Cancel your subscription and get a refund", "How do I cancel and get my money back?", "billing", List.of("cancel", "refund", "billing"),
      "Open Billing > Subscription and choose Cancel.", "Refunds for the current month are automatic within 5 days."));

  /** Customer phrasing → the article that answers it. */
  static final Map<String, String> PHRASINGS = Map.ofEntries(
    Map.entry("@AcmeCloud forgot my pw, help", "reset-password"),
    Map.entry("cant log in, reset email never comes", "reset-password"),
    Map.entry("how do i reset my pasword??", "reset-password"),
    Map.entry("locked out, need new password", "reset-password"),
    Map.entry("password reset link not arriving", "reset-password"),
    Map.entry("forgot password lol", "reset-password"),
    Map.entry("how to download all invoices", "export-invoices"),
    Map.entry("need my receipts for accounting", "export-invoices"),
    Map.entry("export bills to csv?", "export-invoices"),
    Map.entry("where can i get a pdf of my invoice", "export-invoices"),
    Map.entry("invoice export not obvious @AcmeCloud", "export-invoices"),
    Map.entry("add my coworker to the account", "invite-teammate"),
    Map.entry("how do i invite a colleague", "invite-teammate"),
    Map.entry("new team member cant join workspace", "invite-teammate"),
    Map.entry("how to add teammates??", "invite-teammate"),
    Map.entry("invite someone to my workspace", "invite-teammate"),
    Map.entry("deleted a file by mistake, can i get it back", "restore-backup"),
    Map.entry("restore yesterdays backup pls", "restore-backup"),
    Map.entry("how do backups work, need an old version", "restore-backup"),
    Map.entry("recover deleted folder", "restore-backup"),
    Map.entry("do you keep daily backups? lost a file", "restore-backup"),
    Map.entry("pro vs team, whats the difference", "compare-plans"),
    Map.entry("which plan has audit logs", "compare-plans"),
    Map.entry("should i upgrade to team?", "compare-plans"),
    Map.entry("pricing is confusing, what do i get with pro", "compare-plans"),
    Map.entry("difference between plans", "compare-plans"),
    Map.entry("move my data to eu region", "change-region"),
    Map.entry("can i change the location of my bucket", "change-region"),
    Map.entry("data residency, store files in germany?", "change-region"),
    Map.entry("migrate bucket to another region", "change-region"),
    Map.entry("how to switch storage region", "change-region"),
    Map.entry("does acme cloud support sso with azure ad", "setup-sso"),
    Map.entry("okta integration?", "setup-sso"),
    Map.entry("saml setup help", "setup-sso"),
    Map.entry("single sign on for my company", "setup-sso"),
    Map.entry("how to configure sso", "setup-sso"),
    Map.entry("where do i find my api key", "api-key"),
    Map.entry("need to rotate my token, leaked it", "api-key"),
    Map.entry("api token for developers?", "api-key"),
    Map.entry("lost my api key", "api-key"),
    Map.entry("how to get an api key", "api-key"),
    Map.entry("how do i turn on 2fa", "two-factor"),
    Map.entry("enable mfa please", "two-factor"),
    Map.entry("authenticator app setup", "two-factor"),
    Map.entry("two factor authentcation how?", "two-factor"),
    Map.entry("otp codes for login security", "two-factor"),
    Map.entry("want to cancel my subscription", "cancel-refund"),
    Map.entry("how do i get my money back", "cancel-refund"),
    Map.entry("unsubscribe and refund me", "cancel-refund"),
    Map.entry("charged after i cancelled, need refund", "cancel-refund"),
    Map.entry("cancel plan and get refund", "cancel-refund"),
    Map.entry("refund please, dont want it anymore", "cancel-refund"),
    Map.entry("reset password email goes to spam", "reset-password"),
    Map.entry("csv export of billing history", "export-invoices"),
    Map.entry("give access to my team", "invite-teammate"),
    Map.entry("restore a file", "restore-backup"),
    Map.entry("team plan shared folders?", "compare-plans"),
    Map.entry("region migration downtime?", "change-region"),
    Map.entry("azure sso saml metadata", "setup-sso"),
    Map.entry("rotate api key", "api-key"));
}
