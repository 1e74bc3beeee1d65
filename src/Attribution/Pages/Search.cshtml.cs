using Attribution.Api;
using Attribution.Reports;
using Attribution.Pages.Dashboard;
using Attribution.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary>
/// <c>/search?q=</c>, the header's search box: a sha or prefix, a session id or unique 8+ character prefix, a branch, a PR
/// number or URL. One match goes straight to its page; several are listed.
/// </summary>
public sealed class SearchModel(DetailReads reads, SessionAttributionService sessions) : PageModel
{
    [FromQuery(Name = "q")]
    public string? Q { get; set; }

    public IReadOnlyList<SearchHit> Hits { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var text = Q?.Trim() ?? "";
        if (text.Length == 0)
        {
            return Page();
        }

        Hits = await FindAsync(new SearchQuery(text.Length > 300 ? text[..300] : text), cancellationToken);
        if (Hits.Count == 1)
        {
            return Redirect(Hits[0].Href);
        }

        if (Hits.Count == 0)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }

    private async Task<List<SearchHit>> FindAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var hits = new List<SearchHit>();
        if (query.PrUrl is { } url)
        {
            hits.AddRange((await reads.FindPrsByNumberAsync(url.Number, url.Repo, cancellationToken)).Select(PrHit));
            return hits;
        }

        if (query.PrNumber is { } number)
        {
            hits.AddRange((await reads.FindPrsByNumberAsync(number, null, cancellationToken)).Select(PrHit));
        }

        if (query.ShaPrefix is { } prefix)
        {
            hits.AddRange((await reads.FindCommitsAsync(prefix, 20, cancellationToken))
                .Select(c => new SearchHit("commit", Ui.Short(c.Sha) + " " + (c.Subject ?? ""), Ui.CommitPath(c.Sha, c.RepoSlug), c.RepoSlug)));
        }

        if (query.IsToken)
        {
            var resolved = await sessions.ResolveAsync(query.Text, cancellationToken);
            hits.AddRange((resolved.Candidates ?? []).Select(c =>
                new SearchHit("session", Ui.SessionLabel(c.Title, c.StartedAt), Ui.SessionPath(c.SessionId), c.SessionId + " · " + c.Agent + (c.Repo is null ? "" : " · " + c.Repo))));

            foreach (var s in await reads.FindSessionsByBranchAsync(query.Text, cancellationToken))
            {
                if (!hits.Any(h => h.Href == Ui.SessionPath(s.SessionId)))
                {
                    hits.Add(new SearchHit("session", Ui.SessionLabel(s.Title, s.StartedTs), Ui.SessionPath(s.SessionId),
                        $"{s.SessionId} · branch {query.Text}" + (s.RepoSlug is null ? "" : " · " + s.RepoSlug)));
                }
            }

            foreach (var p in await reads.FindPrsByBranchAsync(query.Text, cancellationToken))
            {
                var hit = PrHit(p);
                if (!hits.Contains(hit))
                {
                    hits.Add(hit);
                }
            }
        }

        return hits;
    }

    private static SearchHit PrHit(PullRequestRow p) =>
        new("pull request", $"{p.RepoSlug}#{p.PrNumber} {p.Title}".TrimEnd(), Ui.PrPath(p.Provider, p.RepoSlug, p.PrNumber),
            (p.State ?? "unknown") + (p.HeadRef is null ? "" : " · branch " + p.HeadRef));
}
