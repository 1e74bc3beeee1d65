using Attribution.Providers;
using Attribution.Store;

namespace Attribution.Webhooks;

/// <summary>What a delivery does to the database, decided by a pure handler from the payload alone.</summary>
public abstract record WebhookEffect;

/// <summary>Recorded as a delivery only (ping, tag pushes, branch deletions, unhandled events); the reason says why.</summary>
public sealed record NoEffect(string Reason) : WebhookEffect;

/// <summary>Upsert a PR, link its head commit, and mark the PRs a merged revert PR names.</summary>
public sealed record PullRequestEffect(PullRequestRow PullRequest, IReadOnlyList<RevertTarget> Reverts) : WebhookEffect;

/// <summary>Record pushed commits of one branch and add them to open PRs with that head branch.</summary>
public sealed record PushEffect(string Provider, string RepoSlug, string Branch, IReadOnlyList<CommitRecord> Commits) : WebhookEffect;

/// <summary>Upsert one CI run.</summary>
public sealed record CiRunEffect(CiRunRow Run) : WebhookEffect;

/// <summary>Store review feedback (first write wins); <see cref="Edited"/> for edit events.</summary>
public sealed record FeedbackEffect(FeedbackRecord Feedback, bool Edited) : WebhookEffect;

/// <summary>A parsed delivery: the action and repository for the delivery log, and its effect.</summary>
public sealed record ParsedDelivery(string? Action, string? RepoSlug, WebhookEffect Effect);
