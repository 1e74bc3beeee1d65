namespace Attribution.Reports;

/// <summary>A session an ambiguous id prefix could mean.</summary>
public sealed record SessionCandidate(string SessionId, string Agent, string? Repo, DateTimeOffset? StartedAt, string? Title)
{
    public string Describe() =>
        $"{SessionId} ({Agent}{(Repo is null ? "" : ", " + Repo)}{(StartedAt is { } s ? ", " + s.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "")}){(string.IsNullOrWhiteSpace(Title) ? "" : " " + Title)}";
}
