using Attribution.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attribution.Store;
using static Attribution.Common.PayloadJson;

namespace Attribution.Webhooks;

/// <summary>
/// The generic CI receiver's body <c>{"provider","repo","runId","commitSha","status","workflowName","startedAt","completedAt","url"}</c>
/// → <c>ci_runs</c>. Every field error is reported at once.
/// </summary>
public static partial class GenericCiHandler
{
    public const string EventName = "ci_run";

    public static ParsedDelivery Parse(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var provider = String(root, "provider")?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(provider) || !ProviderPattern().IsMatch(provider))
        {
            errors["provider"] = ["Required: a CI name of letters, digits, '.', '_' or '-' (at most 64)."];
        }

        var repo = String(root, "repo");
        if (!RepoSlug.IsValid(repo))
        {
            errors["repo"] = ["Required: 'owner/name'."];
        }

        var runId = String(root, "runId");
        if (string.IsNullOrWhiteSpace(runId) || runId.Length > 200)
        {
            errors["runId"] = ["Required: a non-empty id of at most 200 characters."];
        }

        var sha = String(root, "commitSha");
        if (sha is null || sha.Length != 40 || !sha.All(char.IsAsciiHexDigit))
        {
            errors["commitSha"] = ["Required: a 40-character hex commit sha."];
        }

        var status = String(root, "status");
        if (status is null || !CiStatus.All.Contains(status))
        {
            errors["status"] = [$"Required: one of {string.Join(", ", CiStatus.All)}."];
        }

        var started = OptionalTimestamp(root, "startedAt", errors);
        var completed = OptionalTimestamp(root, "completedAt", errors);
        var url = String(root, "url");
        if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            errors["url"] = ["Must be an absolute URL."];
        }

        if (errors.Count > 0)
        {
            throw new PayloadShapeException(errors);
        }

        var run = new CiRunRow
        {
            Provider = provider!,
            RepoSlug = repo!,
            RunId = runId!,
            CommitSha = sha,
            Status = status!,
            WorkflowName = String(root, "workflowName"),
            Url = url,
            StartedTs = started,
            CompletedTs = completed,
            SourceUpdatedAt = completed ?? started,
            RawJson = root.GetRawText(),
        };
        return new ParsedDelivery(status, repo, new CiRunEffect(run));
    }

    private static DateTimeOffset? OptionalTimestamp(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        var text = String(root, name);
        if (text is null)
        {
            return null;
        }

        var parsed = ParseTimestamp(text);
        if (parsed is null)
        {
            errors[name] = ["Must be an ISO-8601 timestamp."];
        }

        return parsed;
    }

    [GeneratedRegex("^[a-z0-9._-]{1,64}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex ProviderPattern();
}
