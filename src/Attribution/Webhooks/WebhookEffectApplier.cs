using Attribution.Store;

namespace Attribution.Webhooks;

/// <summary>Applies a delivery's effect inside the processor's transaction; returns the reason recorded on the delivery (null when all went in).</summary>
public sealed class WebhookEffectApplier(PrStore prs, CommitStore commits, CiRunStore ciRuns, FeedbackStore feedback)
{
    public async Task<string?> ApplyAsync(UnitOfWork unit, WebhookEffect effect, CancellationToken cancellationToken)
    {
        switch (effect)
        {
            case PullRequestEffect pr:
                return await ApplyPullRequestAsync(unit, pr, cancellationToken);
            case PushEffect push:
                return await ApplyPushAsync(unit, push, cancellationToken);
            case CiRunEffect ci:
                return await ciRuns.UpsertAsync(unit, ci.Run, cancellationToken) == UpsertOutcome.Stale ? "older than the stored run; newest kept" : null;
            case FeedbackEffect fb:
                var inserted = await feedback.InsertAsync(unit, fb.Feedback, cancellationToken);
                return inserted ? null : fb.Edited ? "edited; first write kept" : "already recorded; first write kept";
            case NoEffect none:
                return none.Reason;
            default:
                throw new InvalidOperationException($"No applier for {effect.GetType().Name}.");
        }
    }

    private async Task<string?> ApplyPullRequestAsync(UnitOfWork unit, PullRequestEffect effect, CancellationToken cancellationToken)
    {
        var pr = effect.PullRequest;
        var notes = new List<string>();
        if (await prs.UpsertAsync(unit, pr, cancellationToken) == UpsertOutcome.Stale)
        {
            notes.Add("older than the stored pull request; newest kept");
        }

        // Membership holds for any version of the PR: the head sha was part of it when the event was sent.
        if (pr.HeadSha is { Length: 40 } headSha)
        {
            await prs.AddCommitsAsync(unit, pr.Provider, pr.RepoSlug, pr.PrNumber, [headSha], "webhook", cancellationToken);
        }

        if (pr.State == "merged" && pr.MergedAt is { } mergedAt)
        {
            foreach (var target in effect.Reverts)
            {
                if (!await prs.MarkRevertedAsync(unit, pr.Provider, target.RepoSlug, target.Number, mergedAt, pr.PrNumber, cancellationToken))
                {
                    notes.Add($"reverted PR {target.RepoSlug}#{target.Number} is not stored (or an earlier revert is)");
                }
            }
        }

        return notes.Count == 0 ? null : string.Join("; ", notes);
    }

    private async Task<string?> ApplyPushAsync(UnitOfWork unit, PushEffect push, CancellationToken cancellationToken)
    {
        await commits.UpsertAsync(unit, push.Commits, cancellationToken);
        if (push.Commits.Count == 0)
        {
            return "push without commits";
        }

        var shas = push.Commits.Select(c => c.Sha).ToList();
        foreach (var number in await prs.FindOpenByHeadRefAsync(unit, push.Provider, push.RepoSlug, push.Branch, cancellationToken))
        {
            await prs.AddCommitsAsync(unit, push.Provider, push.RepoSlug, number, shas, "push", cancellationToken);
        }

        return null;
    }
}
