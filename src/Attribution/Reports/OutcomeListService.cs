using System.Globalization;
using Attribution.Common;
using Attribution.Store;

namespace Attribution.Reports;

/// <summary>
/// The PR outcome and CI run lists for every surface: validates the raw filter values (as typed in a query
/// string or a tool call) and answers rows newest first.
/// </summary>
public sealed class OutcomeListService(AttributionQueryStore store, TimeProvider time)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static readonly IReadOnlyList<string> PrStates = ["open", "merged", "closed"];

    public async Task<ListAnswer<PrOutcomeItem>> ListPrOutcomesAsync(string? repo, string? state, string? since, string? limit, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var repoSlug = CheckRepo(repo, errors);
        var stateValue = Blank(state) ? null : state!.Trim().ToLowerInvariant();
        if (stateValue is not null && !PrStates.Contains(stateValue))
        {
            errors["state"] = [$"state must be one of {string.Join(", ", PrStates)}."];
        }

        DateTimeOffset? sinceValue = null;
        if (!Blank(since))
        {
            if (Common.Since.TryParse(since, time.GetUtcNow(), out var parsed, out var sinceError))
            {
                sinceValue = parsed.From;
            }
            else
            {
                errors["since"] = [sinceError];
            }
        }

        var limitValue = CheckLimit(limit, errors);
        if (errors.Count > 0)
        {
            return ListAnswer<PrOutcomeItem>.Invalid(errors);
        }

        var rows = await store.ListPrOutcomesAsync(new PrOutcomeFilter(repoSlug, stateValue, sinceValue, limitValue), cancellationToken);
        return ListAnswer<PrOutcomeItem>.Of(rows.Select(ToItem).ToList());
    }

    public async Task<ListAnswer<CiRunItem>> ListCiRunsAsync(string? repo, string? commitSha, string? status, string? limit, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var repoSlug = CheckRepo(repo, errors);
        var sha = Blank(commitSha) ? null : commitSha!.Trim();
        if (sha is not null && !ShaText.IsValid(sha))
        {
            errors["commitSha"] = [ShaText.Rule];
        }

        var statusValue = Blank(status) ? null : status!.Trim().ToLowerInvariant();
        if (statusValue is not null && !Common.CiStatus.All.Contains(statusValue))
        {
            errors["status"] = [$"status must be one of {string.Join(", ", Common.CiStatus.All)}."];
        }

        var limitValue = CheckLimit(limit, errors);
        if (errors.Count > 0)
        {
            return ListAnswer<CiRunItem>.Invalid(errors);
        }

        var rows = await store.ListCiRunsAsync(new CiRunFilter(repoSlug, sha, statusValue, limitValue), cancellationToken);
        return ListAnswer<CiRunItem>.Of(rows.Select(r => new CiRunItem(
            r.Provider, r.RepoSlug, r.RunId, r.CommitSha, r.Status, r.WorkflowName, r.Branch, r.Url, r.StartedTs, r.CompletedTs)).ToList());
    }

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    private static string? CheckRepo(string? repo, Dictionary<string, string[]> errors)
    {
        if (Blank(repo))
        {
            return null;
        }

        if (!RepoSlug.IsValid(repo))
        {
            errors["repo"] = ["repo must be owner/name."];
            return null;
        }

        return RepoSlug.Normalize(repo!);
    }

    private static int CheckLimit(string? limit, Dictionary<string, string[]> errors)
    {
        if (Blank(limit))
        {
            return DefaultLimit;
        }

        if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > MaxLimit)
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}."];
            return DefaultLimit;
        }

        return value;
    }

    private static PrOutcomeItem ToItem(PullRequestRow p) => new(
        p.Provider, p.RepoSlug, p.PrNumber, p.Title, p.State, p.Author, p.Url, p.CreatedAt, p.MergedAt, p.ClosedAt, p.RevertedAt,
        p.HeadRef, p.HeadSha, p.BaseRef, p.MergeCommitSha, Common.StoredJson.StringArray(p.LinkedSessionIds), p.DownstreamTouchCount, p.LastDownstreamTouchTs, p.UpdatedTs);
}
