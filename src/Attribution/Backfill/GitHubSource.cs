using System.Globalization;
using System.Text.Json;
using Attribution.Providers;
using Attribution.Providers.GitHub;
using Attribution.Store;
using static Attribution.Common.PayloadJson;
using Octokit;

namespace Attribution.Backfill;

/// <summary>
/// GitHub REST through Octokit's <see cref="IConnection"/>: Octokit owns authentication, the base address,
/// Link-header parsing and error mapping (401/404/...); bodies are read raw so <c>raw_json</c> keeps the API
/// object exactly and the same JSON mapping serves webhook-shaped objects.
/// </summary>
public sealed class GitHubSource(IConnection connection, string repository, int pageSize) : IPullRequestSource
{
    private const string MediaType = "application/vnd.github+json";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromHours(3);
    private readonly string _owner = repository.Split('/')[0];
    private readonly string _name = repository.Split('/')[1];

    public string Provider => GitHubPullRequests.Provider;

    public string Repository { get; } = repository;

    public IReadOnlyList<RevertTarget> Reverts(PullRequestRow mergedPullRequest) =>
        GitHubPullRequests.Reverts(mergedPullRequest.Body, mergedPullRequest.RepoSlug);

    /// <summary>A connection that sends everything through <paramref name="handler"/> (retries, rate limits).</summary>
    public static IConnection Connect(Uri apiUrl, string? token, HttpMessageHandler handler)
    {
        // Connection takes the base address verbatim; GitHubClient(header, uri) would rewrite any non-github.com
        // address to <host>/api/v3/, dropping a path such as a test server's or a proxy's.
        var baseAddress = apiUrl.AbsoluteUri.EndsWith('/') ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/");
        var credentials = string.IsNullOrEmpty(token) ? Credentials.Anonymous : new Credentials(token, AuthenticationType.Bearer);
        var connection = new Connection(new ProductHeaderValue("attribution-backfill"), baseAddress,
            new Octokit.Internal.InMemoryCredentialStore(credentials), new Octokit.Internal.HttpClientAdapter(() => handler),
            new Octokit.Internal.SimpleJsonSerializer());
        // Rate-limit waits happen below Octokit; its own request timeout must not cut them short.
        connection.SetRequestTimeout(RequestTimeout);
        return connection;
    }

    public async Task<PullRequestPage> GetPageAsync(int page, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var (items, next) = await GetAsync(Path("pulls"), new Dictionary<string, string>
        {
            ["state"] = "all",
            ["sort"] = "updated",
            ["direction"] = "desc",
            ["per_page"] = pageSize.ToString(CultureInfo.InvariantCulture),
            ["page"] = page.ToString(CultureInfo.InvariantCulture),
        }, null, cancellationToken);
        return new PullRequestPage([.. items.Select(pr => GitHubPullRequests.Map(pr, Repository, "pulls[]"))], BackfillPaging.NextPage(page, next is null ? null : PageOf(next) ?? page + 1, "GitHub"));
    }

    public async Task<IReadOnlyList<CommitRecord>> GetCommitsAsync(PullRequestRow pullRequest, CancellationToken cancellationToken)
    {
        var items = await GetAllAsync(Path($"pulls/{pullRequest.PrNumber.ToString(CultureInfo.InvariantCulture)}/commits"), null, null, cancellationToken);
        return [.. items.Select(c => GitHubPullRequests.Commit(c, Repository))];
    }

    public async Task<IReadOnlyList<CiRunRow>> GetCiRunsAsync(PullRequestRow pullRequest, CancellationToken cancellationToken)
    {
        var runs = new List<CiRunRow>();
        foreach (var sha in new[] { pullRequest.HeadSha, pullRequest.MergeCommitSha }.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var escaped = Uri.EscapeDataString(sha);
            foreach (var run in await GetAllAsync(Path($"commits/{escaped}/check-runs"), "check_runs", null, cancellationToken))
            {
                runs.Add(GitHubCiRuns.CheckRun(run, Repository, "check_runs[]"));
            }

            foreach (var run in await GetAllAsync(Path("actions/runs"), "workflow_runs", new() { ["head_sha"] = sha }, cancellationToken))
            {
                runs.Add(GitHubCiRuns.WorkflowRun(run, Repository, path: "workflow_runs[]"));
            }

            foreach (var status in await GetAllAsync(Path($"commits/{escaped}/statuses"), null, null, cancellationToken))
            {
                runs.Add(GitHubCiRuns.CommitStatus(status, Repository, sha));
            }
        }

        return runs;
    }

    private string Path(string rest) => $"repos/{Uri.EscapeDataString(_owner)}/{Uri.EscapeDataString(_name)}/{rest}";

    private async Task<List<JsonElement>> GetAllAsync(string path, string? arrayProperty, Dictionary<string, string>? extra, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>(extra ?? []) { ["per_page"] = pageSize.ToString(CultureInfo.InvariantCulture) };
        var all = new List<JsonElement>();
        var (items, next) = await GetAsync(path, parameters, arrayProperty, cancellationToken);
        all.AddRange(items);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (next is not null)
        {
            BackfillPaging.EnsureNew(seen, next.AbsoluteUri, "GitHub");
            (items, next) = await GetAsync(next.AbsoluteUri, null, arrayProperty, cancellationToken);
            all.AddRange(items);
        }

        return all;
    }

    private async Task<(List<JsonElement> Items, Uri? Next)> GetAsync(string pathOrUrl, Dictionary<string, string>? parameters, string? arrayProperty, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var uri = new Uri(pathOrUrl, pathOrUrl.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? UriKind.Absolute : UriKind.Relative);
        IApiResponse<object> response;
        string? raw = null;
        try
        {
            // Get<T> keeps the standard media type and cancellation; the hook captures the body text as received
            // so raw_json is the API object itself and the same JSON mapping serves webhook-shaped objects.
            response = await connection.Get<object>(uri, parameters ?? [], MediaType, cancellationToken, body =>
            {
                raw = body as string;
                return body;
            });
        }
        catch (AuthorizationException ex)
        {
            throw new BackfillException(BackfillFailure.Unauthorized, $"GitHub rejected the token (401: {ex.Message}); set --token, ATTRIBUTION_GITHUB_TOKEN or GITHUB_TOKEN", ex);
        }
        catch (NotFoundException ex)
        {
            // GitHub answers 404, not 401, to anonymous requests for a private repository: say a token is missing.
            var hint = connection.Credentials?.AuthenticationType == AuthenticationType.Anonymous
                ? " (no token was given: GitHub answers 404 for a private repository without one; set --token, ATTRIBUTION_GITHUB_TOKEN or GITHUB_TOKEN)"
                : "";
            throw new BackfillException(BackfillFailure.NotFound, $"GitHub: {Repository}: {ex.Message}{hint}", ex);
        }
        catch (RateLimitExceededException ex)
        {
            throw new BackfillException(BackfillFailure.Unavailable,
                $"GitHub rate limit exhausted until {ex.Reset.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z (longer than the run waits); run again later", ex);
        }
        catch (ApiException ex)
        {
            throw new BackfillException(BackfillFailure.Unavailable, $"GitHub answered {(int)ex.StatusCode}: {ex.Message}", ex);
        }

        List<JsonElement> items;
        try
        {
            var text = raw ?? response.HttpResponse.Body as string;
            using var document = JsonDocument.Parse(string.IsNullOrEmpty(text) ? "[]" : text);
            var root = arrayProperty is null ? document.RootElement : Optional(document.RootElement, arrayProperty) ?? default;
            items = root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray().Select(e => e.Clone())] : [];
        }
        catch (JsonException ex)
        {
            throw new BackfillException(BackfillFailure.Unavailable, $"GitHub answered {uri} with malformed JSON", ex);
        }

        var links = response.HttpResponse.ApiInfo?.Links;
        var next = links is not null && links.TryGetValue("next", out var link) ? link : null;
        return (items, next);
    }

    private static int? PageOf(Uri uri)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&'))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length == 2 && parts[0] == "page" && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var page))
            {
                return page;
            }
        }

        return null;
    }
}
