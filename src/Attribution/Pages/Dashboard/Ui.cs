using System.Globalization;
using System.Text.Json;
using Attribution.Store;
using Attribution.Yield;

namespace Attribution.Pages.Dashboard;

/// <summary>Formatting shared by the dashboard pages. Returns plain text: Razor encodes it.</summary>
public static class Ui
{
    public const string Dash = "—";

    public static string Money(double? usd) => usd is { } v ? "$" + v.ToString(v >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture) : Dash;

    public static string Percent(double? rate) => rate is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : Dash;

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Confidence(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string When(DateTimeOffset? value) =>
        value is { } v ? v.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : Dash;

    /// <summary>Machine-readable form for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateTimeOffset? value) => value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A session id shortened for a table (the first 8 characters, enough to resolve it).</summary>
    public static string ShortId(string id) => id.Length > 12 ? id[..8] : id;

    public static string Short(string? sha) => string.IsNullOrEmpty(sha) ? Dash : sha.Length > 7 ? sha[..7] : sha;

    /// <summary>The shape that goes with each outcome's colour, so colour is never the only cue.</summary>
    public static string Glyph(string outcome) => outcome switch
    {
        OutcomeClass.Merged => "●",
        OutcomeClass.InReview => "◆",
        OutcomeClass.Committed => "■",
        OutcomeClass.Reverted => "✕",
        OutcomeClass.Abandoned => "○",
        _ => "–",
    };

    public static string CiGlyph(string? status) => status switch
    {
        "success" => "✓",
        "failure" => "✕",
        "pending" or "in_progress" => "…",
        "cancelled" or "skipped" => "–",
        _ => "",
    };

    public static string SessionPath(string id) => "/sessions/" + Uri.EscapeDataString(id);

    public static string CommitPath(string sha, string? repo = null) =>
        "/commits/" + Uri.EscapeDataString(sha) + (string.IsNullOrEmpty(repo) ? "" : "?repo=" + Uri.EscapeDataString(repo));

    public static string PrPath(string provider, string repo, long number) =>
        "/prs/" + Uri.EscapeDataString(provider) + "/" + string.Join('/', repo.Split('/').Select(Uri.EscapeDataString)) + "/" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Only http(s) URLs become external links (never <c>javascript:</c> or other schemes).</summary>
    public static string? SafeExternalUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri.AbsoluteUri : null;

    /// <summary>
    /// The commit's page on its provider, read off a known PR/MR URL of the same repository (its host, and GitLab's
    /// <c>/-/</c> form); else github.com or gitlab.com by the PR's provider; null when nothing says where it lives.
    /// </summary>
    public static string? CommitWebUrl(string repo, string sha, IEnumerable<(string Provider, string? Url)> prs)
    {
        var known = prs.ToList();
        foreach (var (_, url) in known)
        {
            if (SafeExternalUrl(url) is { } safe && Uri.TryCreate(safe, UriKind.Absolute, out var uri)
                && uri.AbsolutePath.StartsWith("/" + repo + "/", StringComparison.OrdinalIgnoreCase))
            {
                var gitlab = uri.AbsolutePath.Contains("/-/merge_requests/", StringComparison.Ordinal);
                return $"{uri.Scheme}://{uri.Authority}/{repo}/{(gitlab ? "-/commit" : "commit")}/{sha}";
            }
        }

        return known.Select(p => p.Provider).FirstOrDefault() switch
        {
            "github" => $"https://github.com/{repo}/commit/{sha}",
            "gitlab" => $"https://gitlab.com/{repo}/-/commit/{sha}",
            _ => null,
        };
    }

    /// <summary>Evidence JSON indented for reading; the raw text when it is not JSON.</summary>
    public static string PrettyJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return "";
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(doc.RootElement, IndentedOptions);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    public static string ConfidenceClass(double confidence) => confidence >= 0.8 ? "conf-high" : confidence >= 0.5 ? "conf-mid" : "conf-low";

    /// <summary>Files of a downstream touch, shortened for a table cell.</summary>
    public static string Files(IReadOnlyList<string> files) =>
        files.Count <= 3 ? string.Join(", ", files) : string.Join(", ", files.Take(3)) + $" +{files.Count - 3} more";

    /// <summary>How a session is named next to its id: its title (agent summary or first prompt), else when it started.</summary>
    public static string SessionLabel(string? title, DateTimeOffset? started)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return "untitled, started " + When(started);
        }

        var line = title.ReplaceLineEndings(" ").Trim();
        return line.Length <= 90 ? line : line[..89] + "…";
    }

    /// <summary>A PR's state as the pages and their exports write it: <c>merged</c>, <c>merged, reverted</c>, <c>unknown</c> when none is stored.</summary>
    public static string PrState(string? state, DateTimeOffset? revertedAt) => (state ?? "unknown") + (revertedAt is null ? "" : ", reverted");

    public static string Agent(string agent, string? model) => string.IsNullOrEmpty(model) ? agent : agent + " · " + model;

    public static string PrLabel(PrLinkRow pr) => "#" + pr.PrNumber.ToString(CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions IndentedOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
