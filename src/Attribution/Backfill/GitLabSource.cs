using System.Globalization;
using System.Net;
using System.Text.Json;
using Attribution.Providers;
using Attribution.Providers.GitLab;
using Attribution.Store;
using static Attribution.Common.PayloadJson;

namespace Attribution.Backfill;

/// <summary>
/// A small typed client for GitLab REST v4 on <see cref="HttpClient"/> (<c>PRIVATE-TOKEN</c> header).
/// Pagination follows <c>X-Next-Page</c>, falling back to <c>Link: rel="next"</c> (keyset/large lists).
/// </summary>
public sealed class GitLabSource(HttpClient http, string project, int pageSize) : IPullRequestSource
{
    private readonly string _projectPath = "projects/" + Uri.EscapeDataString(project.Trim('/')) + "/";

    public string Provider => GitLabMergeRequests.Provider;

    public string Repository { get; } = project.Trim('/');

    public IReadOnlyList<RevertTarget> Reverts(PullRequestRow mergedPullRequest) => [];

    /// <summary>An HTTP client rooted at <c>{url}/api/v4/</c> that sends everything through <paramref name="handler"/>.</summary>
    public static HttpClient Connect(Uri url, string? token, HttpMessageHandler handler)
    {
        var root = url.AbsoluteUri.EndsWith('/') ? url.AbsoluteUri : url.AbsoluteUri + "/";
        var http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = new Uri(root + "api/v4/"),
            // Rate-limit waits happen inside the handler: HttpClient's own timeout must not cut them short.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("attribution-backfill");
        if (!string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", token);
        }

        return http;
    }

    public async Task<PullRequestPage> GetPageAsync(int page, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var query = $"merge_requests?state=all&order_by=updated_at&sort=desc&per_page={pageSize.ToString(CultureInfo.InvariantCulture)}&page={page.ToString(CultureInfo.InvariantCulture)}";
        if (since is { } at)
        {
            query += "&updated_after=" + Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        var (items, next) = await GetAsync(_projectPath + query, cancellationToken);
        return new PullRequestPage([.. items.Select(mr => GitLabMergeRequests.FromApi(mr, Repository))], BackfillPaging.NextPage(page, next is null ? null : PageOf(next) ?? page + 1, "GitLab"));
    }

    public async Task<IReadOnlyList<CommitRecord>> GetCommitsAsync(PullRequestRow pullRequest, CancellationToken cancellationToken)
    {
        var items = await GetAllAsync(_projectPath + $"merge_requests/{pullRequest.PrNumber.ToString(CultureInfo.InvariantCulture)}/commits?per_page={PageSize}", cancellationToken);
        return [.. items.Select(c => GitLabMergeRequests.Commit(c, Repository))];
    }

    public async Task<IReadOnlyList<CiRunRow>> GetCiRunsAsync(PullRequestRow pullRequest, CancellationToken cancellationToken)
    {
        var runs = new List<CiRunRow>();
        foreach (var sha in new[] { pullRequest.HeadSha, pullRequest.MergeCommitSha }.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            foreach (var pipeline in await GetAllAsync(_projectPath + $"pipelines?sha={Uri.EscapeDataString(sha)}&per_page={PageSize}", cancellationToken))
            {
                var record = GitLabCiRuns.PipelineFromApi(pipeline, Repository);
                runs.Add(record);
                var id = Long(pipeline, "id")!.Value.ToString(CultureInfo.InvariantCulture);
                foreach (var job in await GetAllAsync(_projectPath + $"pipelines/{id}/jobs?per_page={PageSize}", cancellationToken))
                {
                    runs.Add(GitLabCiRuns.JobFromApi(job, Repository, record.CommitSha));
                }
            }
        }

        return runs;
    }

    private string PageSize => pageSize.ToString(CultureInfo.InvariantCulture);

    private async Task<List<JsonElement>> GetAllAsync(string path, CancellationToken cancellationToken)
    {
        var all = new List<JsonElement>();
        var (items, next) = await GetAsync(path, cancellationToken);
        all.AddRange(items);
        var seen = new HashSet<string>(StringComparer.Ordinal) { path };
        while (next is not null)
        {
            BackfillPaging.EnsureNew(seen, next, "GitLab");
            (items, next) = await GetAsync(next, cancellationToken);
            all.AddRange(items);
        }

        return all;
    }

    /// <summary>One page and the address of the next (null on the last).</summary>
    private async Task<(List<JsonElement> Items, string? Next)> GetAsync(string pathOrUrl, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(pathOrUrl, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var message = ErrorMessage(body) ?? response.ReasonPhrase ?? "error";
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new BackfillException(BackfillFailure.Unauthorized, $"GitLab rejected the token (401: {message}); set ATTRIBUTION_GITLAB_TOKEN"),
                HttpStatusCode.NotFound => new BackfillException(BackfillFailure.NotFound, $"GitLab: {Repository}: {message}"),
                _ => new BackfillException(BackfillFailure.Unavailable, $"GitLab answered {(int)response.StatusCode}: {message}"),
            };
        }

        List<JsonElement> items;
        try
        {
            using var document = JsonDocument.Parse(body);
            items = document.RootElement.ValueKind == JsonValueKind.Array ? [.. document.RootElement.EnumerateArray().Select(e => e.Clone())] : [];
        }
        catch (JsonException ex)
        {
            throw new BackfillException(BackfillFailure.Unavailable, "GitLab answered with malformed JSON", ex);
        }

        return (items, NextAddress(response, pathOrUrl));
    }

    private static string? NextAddress(HttpResponseMessage response, string current)
    {
        if (response.Headers.TryGetValues("X-Next-Page", out var values) && values.FirstOrDefault() is { Length: > 0 } nextPage)
        {
            return WithPage(current, nextPage);
        }

        if (response.Headers.TryGetValues("Link", out var links))
        {
            foreach (var part in string.Join(',', links).Split(','))
            {
                var pieces = part.Split(';');
                if (pieces.Length > 1 && pieces.Skip(1).Any(p => p.Trim() == "rel=\"next\""))
                {
                    return pieces[0].Trim().TrimStart('<').TrimEnd('>');
                }
            }
        }

        return null;
    }

    private static string WithPage(string address, string page)
    {
        var query = address.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? address : address[..query];
        var pairs = query < 0 ? [] : address[(query + 1)..].Split('&').Where(p => !p.StartsWith("page=", StringComparison.Ordinal)).ToList();
        pairs.Add("page=" + Uri.EscapeDataString(page));
        return path + "?" + string.Join('&', pairs);
    }

    private static int? PageOf(string address)
    {
        var query = address.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return null;
        }

        foreach (var pair in address[(query + 1)..].Split('&'))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length == 2 && parts[0] == "page" && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var page))
            {
                return page;
            }
        }

        return null;
    }

    private static string? ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object ? String(root, "message") ?? String(root, "error") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
